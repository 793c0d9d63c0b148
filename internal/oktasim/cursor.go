package oktasim

import (
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"
)

// position is a place in an ordered event stream, rendered as the opaque `after` cursor
// "<millis>_<seq>" like Okta's (e.g. "1627500044869_1"). Polling queries order by persistence
// time, bounded queries by published time; millis is the ordering time, seq the tie-breaker.
type position struct {
	ms  int64
	seq uint64
}

// String renders the cursor.
func (p position) String() string { return fmt.Sprintf("%d_%d", p.ms, p.seq) }

// less orders positions by time, then sequence.
func (p position) less(q position) bool {
	if p.ms != q.ms {
		return p.ms < q.ms
	}
	return p.seq < q.seq
}

// parseCursor reads an `after` value; anything but "<digits>_<digits>" is an error.
func parseCursor(s string) (position, error) {
	msPart, seqPart, ok := strings.Cut(s, "_")
	if !ok || msPart == "" || seqPart == "" || strings.ContainsAny(s, "+-") {
		return position{}, errors.New("malformed cursor")
	}
	ms, err1 := strconv.ParseInt(msPart, 10, 64)
	seq, err2 := strconv.ParseUint(seqPart, 10, 64)
	if err1 != nil || err2 != nil {
		return position{}, errors.New("malformed cursor")
	}
	return position{ms: ms, seq: seq}, nil
}

// positionBefore returns the position just before every event at or after t (millisecond
// precision), so that "strictly after" it means "at or after t".
func positionBefore(t time.Time) position {
	ms := t.UnixMilli()
	if t.After(time.UnixMilli(ms)) {
		ms++ // t has sub-millisecond digits: the first whole millisecond at or after it
	}
	return position{ms: ms, seq: 0}
}
