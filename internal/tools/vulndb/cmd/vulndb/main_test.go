package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

func TestLocated(t *testing.T) {
	info := filepath.Join(t.TempDir(), "v.info")
	if err := os.WriteFile(info, []byte(`{"Version":"v0.0.0-20261105234957-e22db6528018","Time":"2026-11-05T23:49:57Z"}`), 0o644); err != nil {
		t.Fatal(err)
	}
	dir, snapshot, err := located([]byte(`{"Path":"golang.org/x/vulndb","Version":"v0.0.0-20261105234957-e22db6528018",
		"Info":"` + info + `","Dir":"/cache/golang.org/x/vulndb@v0.0.0-20261105234957-e22db6528018"}`))
	if err != nil {
		t.Fatal(err)
	}
	if dir != "/cache/golang.org/x/vulndb@v0.0.0-20261105234957-e22db6528018" {
		t.Errorf("dir %q", dir)
	}
	if want := time.Date(2026, 11, 5, 23, 49, 57, 0, time.UTC); !snapshot.Equal(want) {
		t.Errorf("snapshot %v, want %v", snapshot, want)
	}
}

func TestLocatedSaysWhyNot(t *testing.T) {
	noTime := filepath.Join(t.TempDir(), "v.info")
	if err := os.WriteFile(noTime, []byte(`{"Version":"v0.0.0"}`), 0o644); err != nil {
		t.Fatal(err)
	}
	for answer, want := range map[string]string{
		``: "go mod download -json printed",
		`{"Path":"golang.org/x/vulndb","Version":"v0.0.0-20990101000000-000000000000","Error":"unknown revision"}`: "unknown revision",
		`{"Path":"golang.org/x/vulndb","Version":"v1"}`:                                                            "named no Dir or Info",
		`{"Path":"golang.org/x/vulndb","Version":"v1","Dir":"/d","Info":"` + noTime + `"}`:                         "holds no version time",
	} {
		_, _, err := located([]byte(answer))
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("located(%s): %v, want an error saying %q", answer, err, want)
		}
	}
}
