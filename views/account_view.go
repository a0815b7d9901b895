package views

import "time"

// AccountView is everything the account page shows: the profile, the forms (as the person left
// them when one was refused) and the sessions.
type AccountView struct {
	Name          string
	Email         string
	EmailVerified bool
	NameForm      AuthForm // Name.Value is what was typed, else the stored name
	PasswordForm  PasswordForm
	Sessions      []SessionRow
	DeleteForm    AuthForm
}

// PasswordForm is the change-password form. Passwords are never sent back to the page.
type PasswordForm struct {
	Current      Field
	New          Field
	RevokeOthers bool
	Alert        string
}

// SessionRow is one signed-in device on the account page.
type SessionRow struct {
	ID         string // sessions.id
	Device     string // "Chrome 131 on Windows", from the user agent
	Address    string // "" when unknown
	CreatedAt  time.Time
	LastActive time.Time
	Current    bool // the session this page was asked for with
}

// ResetForm is the form that sets a new password with a reset token.
type ResetForm struct {
	Token string
	New   Field
	Alert string
}

// when formats a time for the account page: day, month, year and minute, in UTC.
func when(t time.Time) string { return t.UTC().Format("2 Jan 2006, 15:04 UTC") }

// machineTime is the datetime attribute of a <time>.
func machineTime(t time.Time) string { return t.UTC().Format(time.RFC3339) }

// otherSessions counts the sessions that are not this device's.
func otherSessions(rows []SessionRow) int {
	n := 0
	for _, r := range rows {
		if !r.Current {
			n++
		}
	}
	return n
}

// firstOther is the index of the first session that is not this device's, or -1.
func firstOther(rows []SessionRow) int {
	for i, r := range rows {
		if !r.Current {
			return i
		}
	}
	return -1
}

func revokePath(id string) string { return "/account/sessions/" + id + "/revoke" }
