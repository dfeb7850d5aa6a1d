package uacontext

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"

	"github.com/uaformat/uaformat/apimode"
	"github.com/uaformat/uaformat/bsock"
)

// ErrEmptySelection is returned by DoPrompt when the selection list has
// no items (after the error message "Selection list for "<automsg>" is
// empty!").
var ErrEmptySelection = errors.New("uacontext: selection list is empty")

// promptList is the Director's per-UA selection list (prompt_header and
// prompts).
type promptList struct {
	header string
	items  []string
}

// Number of columns and the item count above which the Director lays a
// selection list out in columns (mode 0 and batch mode).
const (
	promptWindowWidth   = 80
	promptMinMultiLines = 20
)

// StartPrompt begins a numbered selection list with the header shown
// above the items (such as "The defined Job resources are:\n"). As in
// the Director it does not remove items added before; DoPrompt does.
func (ua *UA) StartPrompt(header string) { ua.prompts.header = header }

// AddPrompt appends an item to the selection list unless an equal item
// is already in it.
func (ua *UA) AddPrompt(item string) {
	for _, it := range ua.prompts.items {
		if it == item {
			return
		}
	}
	ua.prompts.items = append(ua.prompts.items, item)
}

// PromptItems returns a copy of the items of the selection list being
// built.
func (ua *UA) PromptItems() []string { return append([]string(nil), ua.prompts.items...) }

// DoPrompt shows the selection list and returns the user's choice (index
// from 0 and the item), the Director's DoPrompt. automsg names the kind
// of item ("Job", "Client", ...); msg is the question ("Select Job
// resource"), to which " (1-<n>): " is added. The list is emptied in
// every case.
//
//   - A single item is chosen at once; in mode 0 the message
//     "Automatically selected <automsg>: <item>" says so.
//   - In batch mode the header, the items and "Your request has multiple
//     choices for "<automsg>". Selection is not possible in batch mode."
//     are sent and DoPrompt fails with ErrBatch (in mode 2, where these
//     texts are not part of the result, the last one becomes an error
//     message of the JSON result).
//   - Otherwise the header and the items are sent (mode 0: numbered,
//     in columns for more than 20 items; API modes: one packet per item
//     between BNET_START_SELECT and BNET_END_SELECT) and the number is
//     read with GetPint (BNET_SELECT_INPUT first in the API modes); a
//     number out of range gives the warning "Please enter a number
//     between 1 and <n>" and the question is asked again.
//   - An empty list gives the error "Selection list for "<automsg>" is
//     empty!" (ErrEmptySelection). A failed GetPint (".", end of session,
//     ...) sends "Selection aborted, nothing done." and returns its error.
func (ua *UA) DoPrompt(ctx context.Context, automsg, msg string) (int, string, error) {
	items := ua.prompts.items
	header := ua.prompts.header
	ua.prompts.items = nil
	api := ua.Mode() != apimode.Off

	if len(items) == 1 {
		if !api {
			ua.SendMsg("Automatically selected %s: %s\n", automsg, items[0])
		}
		return 0, items[0], nil
	}
	if ua.Batch {
		ua.SendMsg("%s", header)
		ua.SendMsg("%s", FormatPrompts(items, promptWindowWidth, promptMinMultiLines))
		text := fmt.Sprintf("Your request has multiple choices for \"%s\". Selection is not possible in batch mode.\n", automsg)
		ua.SendMsg("%s", text)
		ua.noteBatchFailure(text)
		return -1, "", ErrBatch
	}
	if api {
		ua.Signal(bsock.StartSelect)
	}
	ua.SendMsg("%s", header)
	if api {
		for _, it := range items {
			ua.SendMsg("%s", it)
		}
		ua.Signal(bsock.EndSelect)
	} else {
		ua.SendMsg("%s", FormatPrompts(items, promptWindowWidth, promptMinMultiLines))
	}
	if len(items) == 0 {
		ua.ErrorMsg("Selection list for \"%s\" is empty!\n", automsg)
		return -1, "", ErrEmptySelection
	}
	question := msg + " (1-" + strconv.Itoa(len(items)) + "): "
	for {
		if api {
			ua.Signal(bsock.SelectInput)
		}
		v, err := ua.GetPint(ctx, question)
		if err != nil {
			ua.InfoMsg("Selection aborted, nothing done.\n")
			return -1, "", err
		}
		// The Director keeps the answer in a uint32 and compares it as an
		// int.
		item := int(int32(uint32(v)))
		if item < 1 || item > len(items) {
			ua.WarningMsg("Please enter a number between 1 and %d\n", len(items))
			continue
		}
		return item - 1, items[item-1], nil
	}
}

// DoKeywordPrompt offers keywords under the header "You have the
// following choices:" and returns the index of the chosen one (the
// Director's DoKeywordPrompt).
func (ua *UA) DoKeywordPrompt(ctx context.Context, msg string, keywords ...string) (int, error) {
	ua.StartPrompt("You have the following choices:\n")
	for _, k := range keywords {
		ua.AddPrompt(k)
	}
	i, _, err := ua.DoPrompt(ctx, "", msg)
	return i, err
}

// FormatPrompts lays out a numbered selection list as the Director does
// in mode 0: "<n>: <item>" per line, the numbers right-aligned; with
// more than minLines items, and if two columns fit into width, the items
// go into as many columns as fit, numbered down the columns, each cell
// padded to the longest item and followed by a blank.
func FormatPrompts(items []string, width, minLines int) string {
	maxLen := 1
	for _, it := range items {
		maxLen = max(maxLen, len(it))
	}
	idxLen := len(strconv.Itoa(len(items)))
	cell := maxLen + idxLen + 4 // ": ", a blank, and the C string's NUL
	perLine := max(1, width/(cell-1))
	lines := (len(items) + perLine - 1) / perLine
	var b strings.Builder
	if len(items) > minLines && width > cell*2 {
		for i := 0; i < lines; i++ {
			for j := i; j < len(items); j += lines {
				b.WriteString(padLeft(strconv.Itoa(j+1), idxLen))
				b.WriteString(": ")
				b.WriteString(items[j])
				b.WriteString(strings.Repeat(" ", maxLen-len(items[j])))
				b.WriteByte(' ')
			}
			b.WriteByte('\n')
		}
		return b.String()
	}
	for i, it := range items {
		b.WriteString(padLeft(strconv.Itoa(i+1), idxLen))
		b.WriteString(": ")
		b.WriteString(it)
		b.WriteByte('\n')
	}
	return b.String()
}

func padLeft(s string, n int) string {
	if len(s) >= n {
		return s
	}
	return strings.Repeat(" ", n-len(s)) + s
}
