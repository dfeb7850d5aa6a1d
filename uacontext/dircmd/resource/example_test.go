package resource_test

import (
	"fmt"
	"os"

	"github.com/uaformat/uaformat/apimode"
	"github.com/uaformat/uaformat/formatter"
	"github.com/uaformat/uaformat/uacontext/dircmd/resource"
)

// A Client resource printed as show prints it: in text, only the
// directives set and different from their defaults; with verbose, the
// rest as comments.
func Example() {
	c := resource.New(resource.Client, "web01-fd")
	if err := c.Set("Address", "web01.example.com"); err != nil {
		fmt.Println(err)
	}
	c.Set("Password", resource.Password{Value: "9f86d081884c7d659a2feaa0c55ad015", MD5: true})
	c.Set("Maximum Concurrent Jobs", 4)
	c.Set("Enabled", true) // the default: shown only with verbose

	sink := formatter.SinkFunc(func(p []byte) error { _, err := os.Stdout.Write(p); return err })
	f := formatter.New(sink, formatter.Options{Mode: apimode.Off})
	resource.Print(formatter.NewResourcePrinter(f), c, resource.PrintOptions{HideSensitive: true})
	f.FinalizeResult(true)
	// Output:
	// Client {
	//   Name = "web01-fd"
	//   Address = "web01.example.com"
	//   Password = "****************"
	//   MaximumConcurrentJobs = 4
	// }
}
