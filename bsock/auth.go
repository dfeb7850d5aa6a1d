package bsock

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"regexp"
	"strconv"
	"strings"
	"syscall"
	"time"
)

// Authentication errors. They are wrapped with context; test for them with
// errors.Is.
var (
	// ErrUnknownConsole reports a Hello naming a console that the
	// server's Lookup does not know.
	ErrUnknownConsole = errors.New("bsock: unknown console")
	// ErrAuthFailed reports a failed CRAM-MD5 exchange or a refused login.
	ErrAuthFailed = errors.New("bsock: authentication failed")
	// ErrLoginRefused reports, on the console side, a Director that ended
	// the login (BNET_TERMINATE instead of a challenge) or refused the
	// answer to its challenge: the console name is unknown or the password
	// wrong, which the Director does not tell apart. Errors wrapping it
	// also wrap ErrAuthFailed.
	ErrLoginRefused = errors.New("unknown console or wrong password")
	// ErrNotCleartext reports a connection that does not start with a
	// cleartext Hello packet, typically a TLS ClientHello (TLS-PSK is not
	// supported). Server-side errors for such connections wrap both
	// ErrBadHello and ErrNotCleartext.
	ErrNotCleartext = errors.New("bsock: connection does not start with a cleartext hello")
	// ErrPAMRequired reports that the Director asks for a PAM login
	// (response message 1001) and the client has no PAM credentials.
	ErrPAMRequired = errors.New("bsock: director requires a PAM login")
	// ErrPAMNotOffered reports PAM credentials given to ClientHandshake
	// for a console the Director does not ask a PAM login of.
	ErrPAMNotOffered = errors.New("bsock: PAM credentials given, but the director does not ask for a PAM login")
	// ErrPAMUnavailable reports a console that must log in with PAM on a
	// server that cannot check PAM credentials (ServerConfig.VerifyPAM is
	// nil); the login is refused, never downgraded to the password alone.
	ErrPAMUnavailable = errors.New("bsock: PAM login required, but PAM is not available")
	// ErrAdmission is wrapped by the error of a login whose answer
	// ServerConfig.Admit refused to have checked.
	ErrAdmission = errors.New("bsock: login attempt not admitted")
)

// Protocol texts.
const (
	authOK         = "1000 OK auth\n"
	authFailed     = "1999 Authorization failed.\n"
	notAuthorized  = "1999 You are not authorized.\n"
	recordSep      = "\x1e"
	msgIDOK        = 1000
	msgIDPAM       = 1001
	msgIDInfo      = 1002
	maxOKText      = 99                  // the reference formats the 1000 text into 100 bytes
	encryptionNone = " Encryption: None" // after "-- ", hence two spaces
)

// Defaults used when the corresponding config fields are zero.
const (
	// DefaultFailDelay is the reference's delay after a failed login or a
	// malformed Hello (brute-force throttling). ServerConfig.FailDelay is
	// not defaulted: zero means no delay.
	DefaultFailDelay = 5 * time.Second
	// DefaultStepTimeout bounds each read of the handshake, like the
	// reference's 180 s wait for a CRAM-MD5 answer.
	DefaultStepTimeout = 180 * time.Second
	// DefaultClientVersion is the version ClientHandshake puts into an
	// 18.2 Hello (what python-bareos says when run from a git checkout).
	DefaultClientVersion = "18.2.5"
	// drainTimeout bounds each wait when refusing a connection gracefully.
	drainTimeout = 250 * time.Millisecond
	// maxHandshakePacket bounds the packets a server reads during a login
	// (answers, challenges, PAM messages are a few dozen bytes), so that
	// connections that have not logged in cannot pin much memory.
	maxHandshakePacket = 8 << 10
)

// ServerConfig configures ServerHandshake.
type ServerConfig struct {
	// DirectorName is the Director's resource name. The challenge carries
	// "R_DIRECTOR::<DirectorName>" and the 1000 response message names it.
	DirectorName string
	// Version and Date are shown in the 1000 response message, e.g.
	// "25.0.0" and "21 August 2026".
	Version, Date string
	// Banner starts the 1002 info message (18.2 protocol), followed by
	// "\nYou are ...".
	Banner string
	// Lookup returns the CRAM-MD5 key of a console (the lowercase md5 hex
	// of its password, see PasswordKey, or the digits of an "[md5]HEX"
	// password exactly as configured: the key is used as it is, letter
	// case included, as by the Director); for DefaultConsoleName it
	// should return the Director's own password key. ok=false refuses the
	// name.
	Lookup func(console string) (md5hex string, ok bool)
	// FailDelay is waited after a failed login (twice, like the reference)
	// and before refusing a malformed Hello. Zero: no delay. The reference
	// uses DefaultFailDelay.
	FailDelay time.Duration
	// StepTimeout bounds each read during the handshake; zero means
	// DefaultStepTimeout. The context passed to ServerHandshake bounds the
	// whole handshake.
	StepTimeout time.Duration
	// Rand supplies the random challenge numbers; nil means crypto/rand.
	Rand io.Reader
	// Now supplies the challenge time stamp; nil means time.Now.
	Now func() time.Time

	// Admit, if set, is called when the console's answer to the
	// challenge has arrived and before it is checked: it may wait (to
	// throttle password guessing) and returns the function that is told
	// whether the answer was right. An error refuses the attempt without
	// checking the answer; the console is then answered like a wrong
	// password. The context is the one given to ServerHandshake.
	Admit func(ctx context.Context, console string) (verdict func(ok bool), err error)

	// RequirePAM, if set, reports whether a console must also log in
	// with PAM credentials after CRAM-MD5, as the Director asks of a
	// Console resource with "Use Pam Authentication = yes": a console of
	// the 18.2 protocol gets response message 1001 and sends its
	// credentials (message 4002, or 4001 for a conversation in which the
	// Director prompts for them); an older console is refused after the
	// 1000 line, as by the Director.
	RequirePAM func(console string) bool
	// VerifyPAM checks PAM credentials of console and returns the
	// authenticated user name (usually user). Nil: consoles that require
	// PAM are refused (ErrPAMUnavailable).
	VerifyPAM func(ctx context.Context, console, user, password string) (string, error)
	// TLSPolicy is the TLS policy the Director announces in its
	// challenge ("ssl=<n>": TLSNone, TLSEnabled or TLSRequired), that of
	// the console's TLS Enable and TLS Require directives. On a cleartext
	// connection it decides, with the policy of the console's challenge,
	// whether the login may go on without TLS (see CleartextAllowed).
	TLSPolicy int
	// Encryption is the negotiated cipher and version of a connection
	// that runs inside TLS ("TLS_CHACHA20_POLY1305_SHA256 TLSv1.3"), as
	// the 1000 line of the 12.4 protocol shows it; "" for a cleartext
	// connection. Inside TLS every "ssl=" of the console is accepted.
	Encryption string
}

// Login describes an authenticated console connection.
type Login struct {
	// Console is the console name; DefaultConsoleName ("*UserAgent*") for
	// the default (root) console.
	Console string
	// Protocol is the generation chosen from the Hello (Proto124 or
	// Proto182); it decides the form of the response messages.
	Protocol Protocol
	// HelloVersion is major*100+minor from the Hello, or 0.
	HelloVersion int
	// PAMUser is the user authenticated by PAM (ServerConfig.RequirePAM,
	// VerifyPAM); "" for a console without a PAM login.
	PAMUser string
}

// ServerHandshake performs the Director side of a console login on c:
// read the Hello, CRAM-MD5 in both directions, the PAM login if the
// console requires one (ServerConfig.RequirePAM), then send the response
// messages of the protocol generation the Hello asked for. On success the
// connection is ready for the session loop.
//
// On failure the connection has been closed as the reference does it
// (BNET_TERMINATE before closing for a malformed Hello or an unknown
// console, "1999 ..." lines for a failed CRAM-MD5 exchange, and a graceful
// close without TERMINATE for a connection that does not start with a Hello,
// such as a TLS ClientHello), and the error wraps ErrBadHello,
// ErrUnknownConsole or ErrAuthFailed, or the I/O or context error.
func ServerHandshake(ctx context.Context, c *Conn, cfg ServerConfig) (Login, error) {
	s := &serverHS{ctx: ctx, c: c, cfg: cfg}
	login, err := s.run()
	if err != nil {
		if ctx.Err() != nil && !errors.Is(err, ctx.Err()) {
			err = fmt.Errorf("%w: %w", err, context.Cause(ctx))
		}
		return Login{}, fmt.Errorf("bsock: console login from %v: %w", c.RemoteAddr(), err)
	}
	return login, nil
}

type serverHS struct {
	ctx     context.Context
	c       *Conn
	cfg     ServerConfig
	proto   Protocol
	console string // the name in the Hello
}

// stepDeadline sets the read/write deadline for the next protocol step.
func (s *serverHS) stepDeadline() {
	d := s.cfg.StepTimeout
	if d <= 0 {
		d = DefaultStepTimeout
	}
	dl := time.Now().Add(d)
	if cd, ok := s.ctx.Deadline(); ok && cd.Before(dl) {
		dl = cd
	}
	_ = s.c.nc.SetDeadline(dl)
	if s.ctx.Err() != nil {
		_ = s.c.nc.SetDeadline(longAgo)
	}
}

// sleep waits for d or until the context ends.
func (s *serverHS) sleep(d time.Duration) {
	if d <= 0 {
		return
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
	case <-s.ctx.Done():
	}
}

func (s *serverHS) send(text string) error {
	s.stepDeadline()
	return s.c.Send([]byte(text))
}

// recvData reads one packet and requires it to be a data packet.
func (s *serverHS) recvData(what string) ([]byte, error) {
	s.stepDeadline()
	p, err := s.c.recvMax(maxHandshakePacket)
	if err != nil {
		return nil, fmt.Errorf("read %s: %w", what, err)
	}
	if p.IsSignal() {
		return nil, fmt.Errorf("read %s: got signal %v", what, p.Signal)
	}
	return p.Data, nil
}

// refuse sends BNET_TERMINATE and closes.
func (s *serverHS) refuse() {
	s.stepDeadline()
	_ = s.c.Signal(Terminate)
	_ = s.c.CloseGracefully(drainTimeout)
}

// authFail finishes a failed CRAM-MD5 exchange: "1999 Authorization
// failed." and the delay, plus the 12.4 "not authorized" line, then close.
func (s *serverHS) authFail(err error, outerLine bool) error {
	if outerLine {
		_ = s.send(authFailed)
		s.sleep(s.cfg.FailDelay)
	}
	if s.proto == Proto124 {
		_ = s.send(notAuthorized)
	}
	_ = s.c.CloseGracefully(drainTimeout)
	return fmt.Errorf("%w: %w", ErrAuthFailed, err)
}

func (s *serverHS) run() (Login, error) {
	// Cancelling the context interrupts any blocked read or write; every
	// step re-checks the context after setting its own deadline.
	fired := make(chan struct{})
	stop := context.AfterFunc(s.ctx, func() {
		_ = s.c.nc.SetDeadline(longAgo)
		close(fired)
	})
	defer func() {
		if !stop() {
			<-fired
		}
		s.c.dmu.Lock()
		_ = s.c.nc.SetReadDeadline(s.c.readDL)
		_ = s.c.nc.SetWriteDeadline(s.c.writeDL)
		s.c.dmu.Unlock()
	}()

	hello, err := s.readHello()
	if err != nil {
		return Login{}, err
	}
	s.proto = hello.Protocol
	s.console = hello.Name
	if s.cfg.Lookup == nil {
		s.refuse()
		return Login{}, fmt.Errorf("%w: %q (no lookup configured)", ErrUnknownConsole, hello.Name)
	}
	key, ok := s.cfg.Lookup(hello.Name)
	if !ok {
		s.refuse()
		return Login{}, fmt.Errorf("%w: %q", ErrUnknownConsole, hello.Name)
	}

	if err := s.challenge(key); err != nil {
		return Login{}, err
	}
	if err := s.respond(key); err != nil {
		return Login{}, err
	}
	login := Login{Console: hello.Name, Protocol: hello.Protocol, HelloVersion: hello.Version}
	if s.cfg.RequirePAM != nil && s.cfg.RequirePAM(hello.Name) {
		user, err := s.pam(hello.Name)
		if err != nil {
			_ = s.c.Close()
			return Login{}, err
		}
		login.PAMUser = user
	}
	if err := s.responseMessages(login); err != nil {
		_ = s.c.Close()
		return Login{}, err
	}
	return login, nil
}

// readHello reads and checks the first packet.
func (s *serverHS) readHello() (Hello, error) {
	s.stepDeadline()
	s.c.rmu.Lock()
	n, err := s.c.readHeader()
	s.c.rmu.Unlock()
	if err != nil {
		_ = s.c.Close()
		return Hello{}, fmt.Errorf("%w: read hello: %w", ErrBadHello, err)
	}
	if n > MaxPacket || n < 0 {
		if uint32(n)>>24 == 0x16 {
			// A TLS handshake record: refuse without a reset, so that
			// clients can fall back to cleartext.
			_ = s.c.CloseGracefully(drainTimeout)
			return Hello{}, fmt.Errorf("%w: %w (TLS is not supported)", ErrBadHello, ErrNotCleartext)
		}
		s.sleep(s.cfg.FailDelay)
		s.refuse()
		return Hello{}, fmt.Errorf("%w: %w: first header %d", ErrBadHello, ErrNotCleartext, n)
	}
	if n < MinHelloLen || n > MaxHelloLen {
		s.sleep(s.cfg.FailDelay)
		s.refuse()
		return Hello{}, fmt.Errorf("%w: length %d not in %d..%d", ErrBadHello, n, MinHelloLen, MaxHelloLen)
	}
	s.c.rmu.Lock()
	body, err := s.c.readBody(int(n), nil)
	s.c.rmu.Unlock()
	if err != nil {
		_ = s.c.Close()
		return Hello{}, fmt.Errorf("%w: read hello: %w", ErrBadHello, err)
	}
	h, err := ParseHello(body)
	if err != nil {
		s.sleep(s.cfg.FailDelay)
		s.refuse()
		return Hello{}, err
	}
	return h, nil
}

// challenge is step A: the Director challenges the console.
func (s *serverHS) challenge(key string) error {
	r, err := s.random()
	if err != nil {
		_ = s.c.Close()
		return fmt.Errorf("challenge random: %w", err)
	}
	now := time.Now
	if s.cfg.Now != nil {
		now = s.cfg.Now
	}
	chal := NewChallenge(uint64(r), now().Unix(), "R_DIRECTOR::"+s.cfg.DirectorName)
	if err := s.send("auth cram-md5 " + chal + " ssl=" + strconv.Itoa(s.cfg.TLSPolicy) + "\n"); err != nil {
		_ = s.c.Close()
		return fmt.Errorf("send challenge: %w", err)
	}
	answer, err := s.recvData("challenge answer")
	if err != nil {
		s.sleep(s.cfg.FailDelay)
		return s.authFail(err, true)
	}
	var verdict func(bool)
	if s.cfg.Admit != nil {
		verdict, err = s.cfg.Admit(s.ctx, s.console)
		if err != nil {
			_ = s.send(authFailed)
			return s.authFail(fmt.Errorf("%w: %w", ErrAdmission, err), true)
		}
	}
	ok := checkAnswer(cString(answer), key, chal)
	if verdict != nil {
		verdict(ok)
	}
	if !ok {
		_ = s.send(authFailed)
		s.sleep(s.cfg.FailDelay)
		return s.authFail(errors.New("wrong answer to our challenge (wrong password?)"), true)
	}
	if err := s.send(authOK); err != nil {
		_ = s.c.Close()
		return fmt.Errorf("send auth ok: %w", err)
	}
	return nil
}

// checkAnswer compares an answer (already cut at NUL) against both base64
// encodings of the expected digest, in constant time.
func checkAnswer(answer []byte, key, chal string) bool {
	std, bar := CramAnswers(key, chal)
	okStd := equalSecret(answer, []byte(std))
	okBar := equalSecret(answer, []byte(bar))
	return okStd || okBar
}

// respond is step B: the console challenges the Director.
func (s *serverHS) respond(key string) error {
	line, err := s.recvData("client challenge")
	if err != nil {
		s.sleep(s.cfg.FailDelay)
		return s.authFail(err, true)
	}
	ch, err := ParseChallenge(line)
	if err != nil {
		_ = s.send(authFailed)
		s.sleep(s.cfg.FailDelay)
		return s.authFail(err, true)
	}
	if err := checkNotOwn(ch.Text, "R_DIRECTOR::"+s.cfg.DirectorName); err != nil {
		return s.authFail(err, true)
	}
	d := cramDigest(key, ch.Text)
	answer := Base64Bareos(d)
	if ch.Compatible {
		answer = Base64Standard(d)
	}
	if err := s.send(answer + "\x00"); err != nil {
		_ = s.c.Close()
		return fmt.Errorf("send challenge answer: %w", err)
	}
	reply, err := s.recvData("client verdict")
	if err != nil {
		s.sleep(s.cfg.FailDelay)
		return s.authFail(err, true)
	}
	if !bytes.Equal(cString(reply), []byte(authOK)) {
		s.sleep(s.cfg.FailDelay)
		return s.authFail(fmt.Errorf("console rejected our answer: %.40q", cString(reply)), true)
	}
	if err := s.checkTLSPolicy(ch); err != nil {
		// The reference fails here without another "1999" line.
		return s.authFail(err, false)
	}
	return nil
}

func (s *serverHS) random() (uint32, error) {
	r := s.cfg.Rand
	if r == nil {
		r = rand.Reader
	}
	var b [4]byte
	if _, err := io.ReadFull(r, b[:]); err != nil {
		return 0, err
	}
	return binary.BigEndian.Uint32(b[:]) & 0x7FFFFFFF, nil
}

// okText is the text of the 1000 response message.
func (s *serverHS) okText() string {
	return "OK: " + s.cfg.DirectorName + " Version: " + s.cfg.Version + " (" + s.cfg.Date + ")"
}

// send124OK sends the 1000 line of the 12.4 protocol.
func (s *serverHS) send124OK() error {
	if err := s.send("1000 " + s.okText() + " -- " + encryptionText(s.cfg.Encryption) + "\n"); err != nil {
		return fmt.Errorf("send response message: %w", err)
	}
	return nil
}

// responseMessages sends the messages that end a successful login.
func (s *serverHS) responseMessages(login Login) error {
	okText := s.okText()
	if s.proto == Proto124 {
		return s.send124OK()
	}
	if len(okText) > maxOKText {
		okText = okText[:maxOKText]
	}
	if err := s.send(strconv.Itoa(msgIDOK) + recordSep + okText); err != nil {
		return fmt.Errorf("send response message: %w", err)
	}
	info := s.cfg.Banner + "\nYou are "
	switch {
	case login.PAMUser != "":
		info += "logged in as: " + login.PAMUser
	case login.Console == DefaultConsoleName:
		info += "connected using the default console"
	default:
		info += "logged in as: " + login.Console
	}
	if err := s.send(strconv.Itoa(msgIDInfo) + recordSep + info); err != nil {
		return fmt.Errorf("send info message: %w", err)
	}
	return nil
}

// ClientConfig configures ClientHandshake.
type ClientConfig struct {
	// Name is the console name; "" means the default console
	// (DefaultConsoleName).
	Name string
	// Password is the cleartext password.
	Password string
	// Key, if set, is the CRAM-MD5 key to use instead of the MD5 of
	// Password: the digits of an "[md5]HEX" password as configured (the
	// Director uses them as written, letter case included).
	Key string
	// PAMUser and PAMPassword are the PAM credentials sent when the
	// Director asks for a PAM login (response message 1001), as
	// python-bareos's pam_username and pam_password. Without them such a
	// login fails with ErrPAMRequired; with them, a Director that does
	// not ask fails the login with ErrPAMNotOffered.
	PAMUser, PAMPassword string
	// Protocol selects the Hello: Proto124 sends "Hello <name> calling",
	// anything else the 18.2 form with Version.
	Protocol Protocol
	// Version goes into the 18.2 Hello; "" means DefaultClientVersion.
	Version string
	// Rand supplies the random challenge number; nil means crypto/rand.
	Rand io.Reader
	// Now supplies the challenge time stamp; nil means time.Now.
	Now func() time.Time

	// TLSPolicy is the console's TLS policy announced in its challenge
	// ("ssl=<n>"), as bconsole announces that of its TLS Enable and TLS
	// Require directives. TLS reports that the connection runs inside
	// TLS. On a cleartext connection a Director whose challenge
	// announces a policy that needs TLS (see CleartextAllowed) is
	// refused with an error wrapping ErrTLSRequired.
	TLSPolicy int
	TLS       bool
}

// ServerInfo is what the Director said after a successful login.
type ServerInfo struct {
	// Protocol is the generation used (Proto124 or Proto182).
	Protocol Protocol
	// Message is the text of the 1000 response message, e.g.
	// "OK: bareos-dir Version: 25.0.0 (21 August 2026)" (12.4: with the
	// " -- Encryption" tail and newline, as received).
	Message string
	// Info is the text of the 1002 info message (18.2 only): banner and
	// "You are ...".
	Info string
	// DirectorName, Version and Date are parsed from Message when it has
	// the usual form "OK: <name> Version: <version> (<date>)".
	DirectorName, Version, Date string
}

var (
	responseRE = regexp.MustCompile(`(?s)^(\d\d\d\d)[\x1e ](.*)$`)
	okTextRE   = regexp.MustCompile(`^OK: (\S+) Version: (\S+) \(([^)]*)\)`)
)

// ClientHandshake performs the console side of the login on c, behaving
// like python-bareos: it sends the Hello, answers the Director's challenge
// in the Bareos base64 variant without NUL, challenges the Director with
// "auth cram-md5 <R.T@NAME> ssl=0\n" (accepting both encodings, with or
// without a trailing NUL), and reads the response messages (1000, plus
// 1002 for the 18.2 protocol).
//
// A refusal (BNET_TERMINATE, "1999 ..." lines, a wrong Director answer)
// gives an error wrapping ErrAuthFailed. ClientHandshake does not retry
// with the older protocol; console.Dial does. It does not close c.
func ClientHandshake(ctx context.Context, c *Conn, cfg ClientConfig) (ServerInfo, error) {
	stopR := c.watch(ctx, true)
	stopW := c.watch(ctx, false)
	info, err := clientHandshake(c, cfg)
	err = stopW(stopR(err))
	if err != nil {
		return ServerInfo{}, fmt.Errorf("bsock: console login to %v: %w", c.RemoteAddr(), err)
	}
	return info, nil
}

func clientHandshake(c *Conn, cfg ClientConfig) (ServerInfo, error) {
	name := cfg.Name
	if name == "" {
		name = DefaultConsoleName
	}
	proto := cfg.Protocol
	if proto != Proto124 {
		proto = Proto182
	}
	version := cfg.Version
	if version == "" {
		version = DefaultClientVersion
	}
	key := cfg.Key
	if key == "" {
		key = PasswordKey(cfg.Password)
	}

	if err := c.Send([]byte(HelloText(name, proto, version))); err != nil {
		return ServerInfo{}, err
	}

	// Step A: answer the Director's challenge.
	p, err := c.Recv()
	if err != nil {
		if p.IsSignal() {
			return ServerInfo{}, fmt.Errorf("%w: %w: received signal %v instead of a challenge: %w", ErrAuthFailed, ErrLoginRefused, p.Signal, err)
		}
		return ServerInfo{}, fmt.Errorf("read challenge: %w", err)
	}
	if p.IsSignal() {
		return ServerInfo{}, fmt.Errorf("%w: received signal %v instead of a challenge", ErrAuthFailed, p.Signal)
	}
	if string(p.Data) == notAuthorized {
		return ServerInfo{}, fmt.Errorf("%w: %w: %.40q", ErrAuthFailed, ErrLoginRefused, p.Data)
	}
	fields := strings.Split(string(p.Data), " ")
	if len(fields) < 3 || fields[0] != "auth" {
		return ServerInfo{}, fmt.Errorf("%w: unexpected challenge %q", ErrAuthFailed, p.Data)
	}
	chal := fields[2]
	if err := checkDirectorTLSPolicy(p.Data, cfg); err != nil {
		return ServerInfo{}, err
	}
	if err := c.Send([]byte(Base64Bareos(cramDigest(key, chal)))); err != nil {
		return ServerInfo{}, err
	}
	p, err = c.Recv()
	if err != nil && !p.IsSignal() {
		return ServerInfo{}, fmt.Errorf("read challenge verdict: %w", err)
	}
	if p.IsSignal() || string(p.Data) != authOK {
		return ServerInfo{}, fmt.Errorf("%w: %w: director refused our answer: %s", ErrAuthFailed, ErrLoginRefused, describe(p))
	}

	// Step B: challenge the Director.
	r, err := randomChallengeNumber(cfg.Rand)
	if err != nil {
		return ServerInfo{}, fmt.Errorf("challenge random: %w", err)
	}
	now := time.Now
	if cfg.Now != nil {
		now = cfg.Now
	}
	own := NewChallenge(r, now().Unix(), name)
	if err := c.Send([]byte("auth cram-md5 " + own + " ssl=" + strconv.Itoa(cfg.TLSPolicy) + "\n")); err != nil {
		return ServerInfo{}, err
	}
	p, err = c.Recv()
	if err != nil && !p.IsSignal() {
		return ServerInfo{}, fmt.Errorf("read director's answer: %w", err)
	}
	if p.IsSignal() {
		return ServerInfo{}, fmt.Errorf("%w: received signal %v instead of the director's answer", ErrAuthFailed, p.Signal)
	}
	answer := bytes.TrimSuffix(p.Data, []byte{0})
	if !checkAnswer(answer, key, own) {
		_ = c.Send([]byte(authFailed))
		return ServerInfo{}, fmt.Errorf("%w: wrong answer from the director (wrong password or not the expected director)", ErrAuthFailed)
	}
	if err := c.Send([]byte(authOK)); err != nil {
		return ServerInfo{}, err
	}

	// Response messages.
	info := ServerInfo{Protocol: proto}
	code, text, err := readResponse(c)
	if err != nil {
		return ServerInfo{}, err
	}
	switch code {
	case msgIDOK:
		if cfg.PAMUser != "" || cfg.PAMPassword != "" {
			return ServerInfo{}, ErrPAMNotOffered
		}
	case msgIDPAM:
		if err := clientPAM(c, cfg); errors.Is(err, ErrPAMRequired) {
			return ServerInfo{}, err
		} else if err != nil {
			return ServerInfo{}, fmt.Errorf("%w: %w: %w", ErrAuthFailed, ErrPAMFailed, err)
		}
		code, text, err = readResponse(c)
		if errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF) || errors.Is(err, syscall.ECONNRESET) {
			return ServerInfo{}, fmt.Errorf("%w: %w", ErrAuthFailed, ErrPAMFailed)
		}
		if err != nil {
			return ServerInfo{}, err
		}
		if code != msgIDOK {
			return ServerInfo{}, fmt.Errorf("%w: unexpected message %d %q after the PAM login (expecting auth ok)", ErrAuthFailed, code, text)
		}
	default:
		return ServerInfo{}, fmt.Errorf("%w: unexpected message %d %q (expecting auth ok)", ErrAuthFailed, code, text)
	}
	info.Message = text
	if m := okTextRE.FindStringSubmatch(text); m != nil {
		info.DirectorName, info.Version, info.Date = m[1], m[2], m[3]
	}
	if proto >= Proto182 {
		code, text, err := readResponse(c)
		if err != nil {
			return ServerInfo{}, err
		}
		if code != msgIDInfo {
			return ServerInfo{}, fmt.Errorf("%w: unexpected message %d %q (expecting info message)", ErrAuthFailed, code, text)
		}
		info.Info = text
	}
	return info, nil
}

// readResponse reads one response message "NNNN<RS or space>text".
func readResponse(c *Conn) (int, string, error) {
	p, err := c.Recv()
	if err != nil && !p.IsSignal() {
		return 0, "", fmt.Errorf("read response message: %w", err)
	}
	if p.IsSignal() {
		return 0, "", fmt.Errorf("%w: received signal %v instead of a response message", ErrAuthFailed, p.Signal)
	}
	m := responseRE.FindSubmatch(p.Data)
	if m == nil {
		return 0, "", fmt.Errorf("%w: malformed response message %q", ErrAuthFailed, p.Data)
	}
	code, _ := strconv.Atoi(string(m[1]))
	return code, string(m[2]), nil
}

// randomChallengeNumber returns a number in 1000000000..9999999999, like
// python-bareos.
func randomChallengeNumber(r io.Reader) (uint64, error) {
	if r == nil {
		r = rand.Reader
	}
	var b [8]byte
	if _, err := io.ReadFull(r, b[:]); err != nil {
		return 0, err
	}
	return 1_000_000_000 + binary.BigEndian.Uint64(b[:])%9_000_000_000, nil
}

func describe(p Packet) string {
	if p.IsSignal() {
		return "signal " + p.Signal.String()
	}
	return strconv.Quote(string(p.Data))
}
