// Package uacontext is the Director's user agent layer: everything between
// an authenticated console connection and the output formatter.
//
// A console session (Session, run by Server for each connection) reads one
// command line per data packet, parses it like the Director (ParseArgs),
// finds the command in an ordered Table by case-insensitive (ASCII)
// prefix, checks the console's Command ACL, and runs the command's
// HandlerFunc with a context and a UA, the per-session state. Handlers
// write their result through UA.Formatter, a formatter.Formatter in the
// session's API mode, and the messaging methods (SendMsg, InfoMsg,
// WarningMsg, ErrorMsg, SendCmdUsage), and return an error when the
// command fails. The dispatcher wraps the command in the signals of the
// API modes (BNET_CMD_BEGIN, BNET_CMD_OK/BNET_CMD_FAILED), turns a
// handler's error into the console's error message (ErrReported,
// NotFoundError, CommandError), finalizes the result (one JSON document
// per command in mode 2, the error envelope for a failure), and the
// session loop ends each answer with BNET_EOD (mode 0) or the next
// BNET_MAIN_PROMPT (modes 1 and 2).
//
// Server runs sessions with net/http semantics: Serve, Shutdown (running
// commands finish), Close (they are canceled). A command's context ends
// when its console disconnects, and on Close.
//
// Server starts each connection as the Director does: a connection that
// starts with a cleartext Hello is let in according to the console's
// TLSPolicy; any other is a TLS handshake — TLS-PSK (package tlspsk) with
// the console's key, or TLS with certificates for ClientHellos without a
// PSK (TLSConfig.Certificates) — and the login then runs inside the
// tunnel, its Hello naming the console of the PSK identity. A failed
// handshake ends with the TLS alert, then BNET_TERMINATE outside TLS.
//
// The defaults of a Server hold under hostile load: connections that have
// not logged in are limited at accept time (MaxUnauthenticated, in all and
// per host); password checks, of CRAM-MD5 answers, TLS-PSK keys and PAM
// passwords, are throttled per address and per console name (FailDelay);
// the memory of answers consoles do not read is bounded across sessions
// (OutputMemory: the slowest reader's session ends, or the answer is
// discarded); log records are bounded in size and rate, and command lines
// are logged only by auditing (Audit). Consoles with UsePAM log in with
// PAM credentials checked by the embedder's PAMVerifier, as users of a
// UserSource.
//
// The command table is the extension point: Builtins provides the session
// commands (.api, help, .help, version, whoami, quit, messages, ...),
// ReferenceCommands the Director's full table of names and help texts, and
// embedders add their own Commands; commands named like the Director's
// keep the Director's order, so prefix matching behaves the same.
//
// Access control follows the Director: a named Console carries an ACLSet;
// the first matching entry of a list decides, "!" entries deny, "*all*"
// matches everything, and entries with regular expression characters are
// case-insensitive POSIX extended regular expressions matched against the
// whole item. The default console (nil *Console) may do everything.
package uacontext
