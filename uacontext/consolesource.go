package uacontext

import (
	"context"
	"errors"
	"fmt"

	"github.com/uaformat/uaformat/bsock"
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

// ConsoleList returns a ConsoleSource serving a fixed list of consoles.
// The consoles are copied (later changes to cs do not show), their keys
// used as written (an "[md5]HEX" key keeps its letter case, as in the
// Director); of several consoles with one name the first counts,
// and consoles without a name or named like the default console
// ("*UserAgent*", which Server.DefaultKey governs) are left out.
func ConsoleList(cs ...Console) ConsoleSource {
	m := make(consoleList, len(cs))
	for i := range cs {
		c := cs[i]
		if _, dup := m[c.Name]; !dup && c.Name != "" && c.Name != bsock.DefaultConsoleName {
			m[c.Name] = &c
		}
	}
	return m
}

type consoleList map[string]*Console

func (m consoleList) LookupConsole(_ context.Context, name string) (*Console, error) {
	if c, ok := m[name]; ok {
		return c, nil
	}
	return nil, fmt.Errorf("%w: %.40q", ErrUnknownConsole, name)
}
