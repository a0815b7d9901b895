package views

import (
	"bytes"
	"context"
)

// ResetPasswordMailText is the plain-text body of the password-reset email: the same words as
// ResetPasswordMail.
func ResetPasswordMailText(name, link string) string {
	return "Hello " + name + ",\n\n" +
		"Someone, hopefully you, asked to reset the password of your Todo account.\n" +
		"Choose a new password here:\n\n" +
		link + "\n\n" +
		"The link works once, for one hour. Using it signs you out on every device.\n" +
		"If you did not ask for this, ignore this email: your password stays as it is.\n"
}

// ResetPasswordMailHTML renders ResetPasswordMail.
func ResetPasswordMailHTML(ctx context.Context, name, link string) (string, error) {
	var b bytes.Buffer
	if err := ResetPasswordMail(name, link).Render(ctx, &b); err != nil {
		return "", err
	}
	return b.String(), nil
}

// ResetPasswordSubject is the subject of the password-reset email.
const ResetPasswordSubject = "Reset your Todo password"
