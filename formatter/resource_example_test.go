package formatter_test

import (
	"github.com/uaformat/uaformat/apimode"
	"github.com/uaformat/uaformat/formatter"
)

// showClient prints a Client resource as `show client=bareos-fd verbose`
// does: set values as keys, defaults as comments.
func showClient(p *formatter.ResourcePrinter) {
	p.ResourceStart("Clients", "Client", "bareos-fd", false)
	p.KeyQuotedString("Name", "bareos-fd", false)
	p.KeyQuotedString("Address", "localhost", false)
	p.KeyUnsignedInt("Port", 9102, true) // the default: a comment
	p.KeyBool("Enabled", true, true)
	p.KeyMultipleStringsOnePerLine("TlsAllowedCn", []string{"fd.example.com", `say "hi"`}, false, true, false)
	p.ResourceEnd("Clients", "bareos-fd", false)
}

// A resource in configuration syntax. ResourceEnd sends the body and the
// closing brace as two packets, as the Director does; the value with an
// unescaped quote is escaped in the one-per-line list.
func ExampleResourcePrinter() {
	f := formatter.New(printer, formatter.Options{Mode: apimode.Off})
	showClient(formatter.NewResourcePrinter(f))
	f.FinalizeResult(true)
	// Output:
	// -- packet (152 bytes)
	// Client {
	//   Name = "bareos-fd"
	//   Address = "localhost"
	//   # Port = 9102
	//   # Enabled = Yes
	//   TlsAllowedCn = "fd.example.com"
	//   TlsAllowedCn = "say \"hi\""
	// -- packet (3 bytes)
	// }
}

// The same calls in API mode 2: the resource is grouped under its type's
// group, keys are lowercased, the resource name is kept as it is.
func ExampleResourcePrinter_json() {
	f := formatter.New(printer, formatter.Options{Mode: apimode.JSON})
	showClient(formatter.NewResourcePrinter(f))
	f.FinalizeResult(true)
	// Output:
	// -- packet (302 bytes)
	// {
	//   "jsonrpc": "2.0",
	//   "id": null,
	//   "result": {
	//     "clients": {
	//       "bareos-fd": {
	//         "name": "bareos-fd",
	//         "address": "localhost",
	//         "port": 9102,
	//         "enabled": true,
	//         "tlsallowedcn": [
	//           "fd.example.com",
	//           "say \"hi\""
	//         ]
	//       }
	//     }
	//   }
	// }
}
