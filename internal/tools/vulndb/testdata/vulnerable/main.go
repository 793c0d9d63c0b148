// Command vulnerable reaches a known vulnerability on purpose: it decodes zstd with
// github.com/klauspost/compress v1.20.0, which panics on two-block frames (GO-2026-6865, fixed in v1.20.2).
// make vulncheck checks it first, in source and in binary mode, and fails unless govulncheck reports it:
// a check that cannot see this would pass anything.
package main

import (
	"io"
	"os"

	"github.com/klauspost/compress/zstd"
)

func main() {
	r, err := zstd.NewReader(os.Stdin)
	if err != nil {
		panic(err)
	}
	defer r.Close()
	if _, err := io.Copy(os.Stdout, r); err != nil {
		panic(err)
	}
}
