package apimode_test

import (
	"fmt"

	"github.com/uaformat/uaformat/apimode"
)

func ExampleParse() {
	// ".api json compact=yes", as the Director splits it into words.
	req, err := apimode.Parse([]string{".api", "json", "compact=yes"})
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println("mode:", req.Mode, "compact on:", req.Compact == apimode.CompactOn, "batch:", req.Batch)

	// compact only counts with mode JSON.
	req, _ = apimode.ParseLine(".api on compact=yes")
	fmt.Println("mode:", req.Mode, "compact kept:", req.Compact == apimode.CompactKeep)

	_, err = apimode.ParseLine(".api 3")
	fmt.Println(err)
	// Output:
	// mode: 2 compact on: true batch: true
	// mode: 1 compact kept: true
	// apimode: invalid .api arguments: unknown mode "3"
}

func ExampleParseMode() {
	for _, w := range []string{"OFF", "1", "Json", "yes"} {
		m, err := apimode.ParseMode(w)
		fmt.Println(w, m, err != nil)
	}
	// Output:
	// OFF 0 false
	// 1 1 false
	// Json 2 false
	// yes 0 true
}
