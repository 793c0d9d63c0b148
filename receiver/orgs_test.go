package receiver

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"go.opentelemetry.io/collector/component"
	"go.opentelemetry.io/collector/consumer/consumertest"

	"github.com/datableio/oktareceiver/internal/metadata"
	"github.com/datableio/oktareceiver/internal/oktasim"
)

// named gives a receiver the id okta/<name>, as in a collector configured with several orgs.
func named(name string) func(*oktaReceiver) {
	return func(r *oktaReceiver) { r.set.ID = component.MustNewIDWithName(metadata.Type.String(), name) }
}

// A collector restarted with an org added and another removed: the org that stays resumes from its
// checkpoint, the new one starts fresh, and the removed org's checkpoint waits intact for its return.
func TestOrgsAddedAndRemovedKeepTheirCheckpoints(t *testing.T) {
	host, id := storageHost(t) // one storage extension for every receiver, as in a collector
	orgs := map[string]*org{"acme": newOrg(t, oktasim.Options{}), "globex": newOrg(t, oktasim.Options{}), "initech": newOrg(t, oktasim.Options{})}
	sinks := map[string]*consumertest.LogsSink{}
	delivered := map[string][]string{}
	pending := map[string][]string{} // what each org holds that its receiver has not delivered yet
	runOrgs := func(names ...string) {
		for name, o := range orgs { // every org goes on logging, whether collected now or not
			pending[name] = append(pending[name], o.addEvents(t, 20, time.Now())...)
		}
		var runs []*run
		want := map[string][]string{}
		for _, name := range names {
			want[name], pending[name] = pending[name], nil
			cfg := testConfig(orgs[name])
			cfg.Storage = id
			sinks[name] = new(consumertest.LogsSink)
			runs = append(runs, start(t, cfg, host, sinks[name], named(name)))
		}
		for _, name := range names {
			waitForCount(t, sinks[name], len(want[name]))
		}
		for _, name := range names {
			orgs[name].servedMore(t) // room for a repeat to show
		}
		for i, name := range names {
			runs[i].stop(t)
			assert.Equal(t, want[name], uids(sinks[name]), "okta/%s delivers what is new since its own checkpoint, once", name)
			delivered[name] = append(delivered[name], uids(sinks[name])...)
		}
	}
	runOrgs("acme", "globex")
	runOrgs("acme", "initech") // globex removed, initech added
	runOrgs("acme", "globex")  // globex back: it goes on from its checkpoint
	assert.Len(t, delivered["acme"], 60)
	assert.Len(t, delivered["globex"], 60, "what globex logged while it was removed is delivered when it is back")
	assert.Len(t, delivered["initech"], 40, "a new org starts from initial_lookback")
	assert.Len(t, pending["initech"], 20, "initech, removed again, has its backlog waiting")
}
