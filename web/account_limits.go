package web

import "time"

// accountLimits bound the account's password endpoints beyond sign-in's own throttles. A limit is
// a sliding window, never a lock: once the window has passed, the owner can try again, and a refused
// attempt is not counted, so hammering does not extend it.
type accountLimits struct {
	ForgotPerIP    rate // every forgot-password POST from one client address (over it: 429)
	ForgotPerEmail rate // reset mails to one address; over it the answer is the same and no mail goes out
	ResetPerIP     rate // every reset-password POST from one client address
	ChangePerIP    rate // every change-password POST from one client address
}

func defaultAccountLimits() accountLimits {
	return accountLimits{
		ForgotPerIP:    rate{10, 10 * time.Minute},
		ForgotPerEmail: rate{5, 15 * time.Minute},
		ResetPerIP:     rate{20, 10 * time.Minute},
		ChangePerIP:    rate{30, time.Minute},
	}
}

// accountGuard holds the throttles of accountLimits. Wrong current passwords count against the same
// throttles as failed sign-ins (authGuard.takeFailure), so a stolen session gives no more guesses
// than the sign-in form does.
type accountGuard struct {
	forgotIP, forgotEmail, resetIP, changeIP *throttle
}

func newAccountGuard(l accountLimits) *accountGuard {
	return &accountGuard{
		forgotIP:    newThrottle(l.ForgotPerIP),
		forgotEmail: newThrottle(l.ForgotPerEmail),
		resetIP:     newThrottle(l.ResetPerIP),
		changeIP:    newThrottle(l.ChangePerIP),
	}
}
