package console

import (
	"fmt"
	"strings"

	"github.com/tidwall/gjson"
)

// RPCError is a JSON-RPC error answer of the Director (API mode 2):
//
//	{"jsonrpc": "2.0", "id": null, "error": {"code": 1, "message": "failed",
//	  "data": {"result": {...}, "messages": {"error": [...], ...}}}}
type RPCError struct {
	Code    int
	Message string
	// Data is the "data" member: the partial result and the messages.
	Data gjson.Result
}

// Error returns the code and message, followed by the error messages the
// Director recorded, if any.
func (e *RPCError) Error() string {
	s := fmt.Sprintf("console: JSON-RPC error %d: %s", e.Code, e.Message)
	var msgs []string
	for _, m := range e.Data.Get("messages.error").Array() {
		msgs = append(msgs, strings.TrimRight(m.String(), "\n"))
	}
	if len(msgs) > 0 {
		s += ": " + strings.Join(msgs, "; ")
	}
	return s
}

// Messages returns the Director's messages of the given type ("error",
// "warning", "info").
func (e *RPCError) Messages(typ string) []string {
	var out []string
	for _, m := range member(e.Data.Get("messages"), typ).Array() {
		out = append(out, m.String())
	}
	return out
}

// member returns the first member of the object obj named name, compared
// as text after unescaping (a gjson path would read characters such as
// '.', '*', '[' or '@' in name as path syntax).
func member(obj gjson.Result, name string) gjson.Result {
	var found gjson.Result
	if !obj.IsObject() {
		return found
	}
	obj.ForEach(func(k, v gjson.Result) bool {
		if k.String() == name {
			found = v
			return false
		}
		return true
	})
	return found
}

// decodeJSON interprets a JSON-RPC answer.
func decodeJSON(data string) (gjson.Result, error) {
	if len(data) == 0 {
		return gjson.Result{}, nil
	}
	if !gjson.Valid(data) {
		return gjson.Result{}, fmt.Errorf("%w: %q", ErrInvalidJSON, snippet(data))
	}
	doc := gjson.Parse(data)
	if !doc.IsObject() {
		return gjson.Result{}, fmt.Errorf("%w: not an object: %q", ErrInvalidJSON, snippet(data))
	}
	if r := doc.Get("result"); r.Exists() {
		return r, nil
	}
	if e := doc.Get("error"); e.Exists() {
		return gjson.Result{}, &RPCError{
			Code:    int(e.Get("code").Int()),
			Message: e.Get("message").String(),
			Data:    e.Get("data"),
		}
	}
	return gjson.Result{}, fmt.Errorf("%w: neither result nor error: %q", ErrInvalidJSON, snippet(data))
}

func snippet(b string) string {
	const max = 200
	if len(b) > max {
		return b[:max] + "..." // a copy: the error does not keep a large answer
	}
	return b
}
