package uacontext

import (
	"context"
	"errors"
)

// PAMVerifier checks the PAM credentials of a console that must log in
// with PAM (Console.UsePAM, the Director's "Use Pam Authentication =
// yes"). The embedder supplies it (a binding to the system's PAM, an LDAP
// bind, ...); a Server without one refuses such consoles, with a log
// record, and never lets them in on their console password alone.
//
// VerifyPAM returns nil if user's password is right; console is the
// console the user logs in through. It is called concurrently; ctx ends
// with the login's deadline.
type PAMVerifier interface {
	VerifyPAM(ctx context.Context, console, user, password string) error
}

// PAMVerifierFunc adapts a function to the PAMVerifier interface.
type PAMVerifierFunc func(ctx context.Context, console, user, password string) error

// VerifyPAM calls f.
func (f PAMVerifierFunc) VerifyPAM(ctx context.Context, console, user, password string) error {
	return f(ctx, console, user, password)
}

// UserSource looks up the User resources of the Director: a user that
// PAM authenticated works with the ACLs of the User resource of that
// name, as in the Director (no User resource: the login fails). A
// ConsoleSource that also implements UserSource supplies them (a
// *config.Config does).
//
// LookupUser returns the user as a Console (its Name is the user name,
// Key is unused, ACL its ACLs with those of its profiles), or an error
// wrapping ErrUnknownUser.
type UserSource interface {
	LookupUser(ctx context.Context, name string) (*Console, error)
}

// ErrUnknownUser is returned by a UserSource for a name it does not know.
var ErrUnknownUser = errors.New("uacontext: unknown user")

// errNoPAMVerifier refuses a PAM console on a server without PAMVerifier.
var errNoPAMVerifier = errors.New("uacontext: the console requires a PAM login, but the server has no PAM verifier")
