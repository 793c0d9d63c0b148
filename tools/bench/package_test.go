package bench

import (
	"testing"

	"go.uber.org/goleak"
)

// The benchmark starts simulators, sinks, collectors and their readers: every goroutine ends with its test.
func TestMain(m *testing.M) {
	goleak.VerifyTestMain(m)
}
