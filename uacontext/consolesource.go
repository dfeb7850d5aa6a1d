package uacontext

import (
	"context"
	"errors"
)

// ErrUnknownConsole is returned by a ConsoleSource for a name it does not
// know. The server then refuses the login as the Director refuses an
// unknown console.
var ErrUnknownConsole = errors.New("uacontext: unknown console")

// ConsoleSource looks a named console up at login time, so that an
// embedder can keep its consoles in a configuration that is reloaded, a
// database or a secret store.
//
// LookupConsole returns the console called name, or an error wrapping
// ErrUnknownConsole when there is none. Any other error refuses the login
// and is logged. The returned Console must not be modified afterwards: a
// session keeps using it until it ends. LookupConsole is called
// concurrently by many logins.
type ConsoleSource interface {
	LookupConsole(ctx context.Context, name string) (*Console, error)
}

// ConsoleSourceFunc adapts a function to the ConsoleSource interface.
type ConsoleSourceFunc func(ctx context.Context, name string) (*Console, error)

// LookupConsole calls f(ctx, name).
func (f ConsoleSourceFunc) LookupConsole(ctx context.Context, name string) (*Console, error) {
	return f(ctx, name)
}
