package main

import (
	"testing"

	"go.uber.org/goleak"
)

// The command runs the benchmark's flow: every goroutine it starts ends with its test.
func TestMain(m *testing.M) {
	goleak.VerifyTestMain(m)
}
