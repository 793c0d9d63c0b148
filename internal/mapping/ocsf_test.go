package mapping

import (
	"testing"

	"go.opentelemetry.io/collector/pdata/plog"

	"github.com/datableio/oktareceiver/internal/mapping/ocsf/ocsftest"
	"github.com/datableio/oktareceiver/internal/samples"
)

// checkOCSF fails the test for every record of logs whose body is not a valid OCSF 1.8.0 event.
func checkOCSF(t *testing.T, what string, logs plog.Logs) {
	t.Helper()
	for i, lr := range records(logs) {
		if err := ocsftest.ValidateMap(lr.Body().Map()); err != nil {
			t.Errorf("%s record %d is not valid OCSF %s:\n%v", what, i, "1.8.0", err)
		}
	}
}

func TestOCSFSamplesValid(t *testing.T) {
	for _, s := range samples.All() {
		logs, _, _, err := New(testOptions(BodyOCSF)).MapPage(pageOf(s), observedAt)
		if err != nil {
			t.Fatal(err)
		}
		checkOCSF(t, s.Name, logs)
	}
}
