// Package fuzz holds the native Go fuzz targets of uaformat.
//
// The model: a fuzz input of the formatter targets is decoded into a
// program (fuzz/internal/program), a sequence of calls of the formatter's
// call surface (internal/calls, the description the golden runner, uafmt
// and the formatter's model test share) with arbitrary arguments: any
// method in any order, the resource printer's included, unbalanced ends,
// arbitrary byte strings as names, keys, values, formats and list items,
// filters, messages, mode switches, repeated FinalizeResult. Every byte string decodes to a program, so the fuzzer
// spends its time on calls, not on parse errors, and the encoding's
// inverse lets the seed corpora in testdata/fuzz be built from the golden
// oracle's call scripts. A failing program is reported as a call script
// that cmd/uafmt replays.
//
// The targets (in the package's tests) are:
//
//   - FuzzFormatter: runs a Program and checks every mode-2 response (one
//     valid JSON-RPC 2.0 object, valid UTF-8, jansson layout, no duplicate
//     keys, error envelope exactly when expected, meta.range consistent with
//     the filters), text-mode messages, the resource printer's closing
//     packets and indentation level, packet sizes, and that the total
//     output stays within a bound computed from the input;
//   - FuzzFormatterReuse: a Program gives the same packets on a fresh
//     formatter and on one reused after other results;
//   - FuzzFormatterTree: a Program gives the same JSON whether the result
//     stays in the formatter's token form or is forced into its tree form
//     (by a duplicate key added before the Program's own calls);
//   - FuzzFrameReader: bsock.Conn.Recv against an independent parse of the
//     byte stream, read in pieces of fuzzed sizes, with allocation bounded
//     by the input whatever the length headers announce;
//   - FuzzParseHello, FuzzParseChallenge: bsock's parsers (errors wrap the
//     sentinels, accepted input is consistent, allocation bounded);
//   - FuzzServerHandshake, FuzzClientHandshake: both sides of the login
//     against a hostile peer's byte stream (seeded with recorded real
//     logins against a deterministic server, so the fuzzer starts from
//     complete exchanges);
//   - FuzzParseArgs: uacontext.ParseArgs against a model of the
//     Director's in-place argument parser; FuzzAPI: ".api" parsing against
//     a model of the Director's command;
//   - FuzzDaemonSession: the demo Director (internal/demo) behind a fixed
//     login, fed a fuzzed packet stream as its session.
//
// The TLS-PSK package keeps its own targets next to its unexported
// parsers (tlspsk: FuzzParseClientHello, FuzzParseServerHello,
// FuzzParseMessages, FuzzRecordRoundTrip, FuzzRecordOpen,
// FuzzServerHandshake, FuzzServerHandshakeKnownKey, FuzzClientHandshake,
// FuzzPostHandshake), and so does uacontext/dircmd for its commands
// (FuzzShow: show's arguments under random ACLs; FuzzPromptInput,
// FuzzSelectionInput: the interactive commands and the selections of
// the storage, status, update, label and rerun commands under random
// answers, cancels, signals and disconnects; FuzzRestoreDialogue;
// FuzzDecodeStat); run.sh finds them like these.
//
// Run them all with fuzz/run.sh SECONDS. A crasher found by go test -fuzz
// is written to testdata/fuzz/FuzzX/ and stays there as a regression case;
// the seeds derived from the golden cases and the recorded logins are
// rewritten with go test ./fuzz -run TestSeed -seeds.
package fuzz
