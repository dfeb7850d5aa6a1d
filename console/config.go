package console

import (
	"github.com/uaformat/uaformat/config"
)

// FromConfig returns the Director's address and the Options to log in
// with, from the resources of a console's configuration that
// config.ConsoleConfig.Select picked, as bconsole uses them: the Console
// resource's name, password and TLS directives or, without one (con is
// nil), the default console with the Director resource's password and
// TLS directives. "TLS Enable = no" connects in cleartext; "TLS Require =
// no" announces TLS as optional; TLS Protocol, TLS Cipher List and TLS
// Cipher Suites bound the TLS-PSK handshake (an error names a value that
// cannot be honoured). An "[md5]" password is used as written.
func FromConfig(dir *config.DirectorRef, con *config.ConsoleLogin) (addr string, opts Options, err error) {
	pw, tc := dir.Password, dir.TLS
	if con != nil {
		opts.Name, pw, tc = con.Name, con.Password, con.TLS
	}
	if pw.IsMD5() {
		opts.Key = pw.Key()
	} else {
		opts.Password = pw.Raw
	}
	psk, err := tc.PSK()
	if err != nil {
		return "", Options{}, err
	}
	opts.TLS = TLSOptions{
		Disable:      !tc.Enable,
		Optional:     tc.Enable && !tc.Require,
		MinVersion:   psk.MinVersion,
		MaxVersion:   psk.MaxVersion,
		CipherSuites: psk.CipherSuites,
	}
	return dir.Addr(), opts, nil
}
