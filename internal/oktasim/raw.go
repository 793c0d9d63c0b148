package oktasim

import (
	"bufio"
	"net"
	"net/http"
	"net/url"
	"sync"
)

// RawServer answers one HTTP request on a loopback port with bytes of its own making, status line and
// headers included: an answer no HTTP server would send (a malformed header that echoes the request, say),
// to see what a client makes of it.
type RawServer struct {
	// URL is the server's base URL: http:// and its loopback address.
	URL *url.URL

	ln   net.Listener
	done chan struct{}
	mu   sync.Mutex
	conn net.Conn
}

// NewRawServer starts a RawServer that writes answer(request) on the connection of the first request it
// reads, then closes the connection.
func NewRawServer(answer func(*http.Request) string) (*RawServer, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, err
	}
	s := &RawServer{URL: &url.URL{Scheme: "http", Host: ln.Addr().String()}, ln: ln, done: make(chan struct{})}
	go s.serveOne(answer)
	return s, nil
}

func (s *RawServer) serveOne(answer func(*http.Request) string) {
	defer close(s.done)
	conn, err := s.ln.Accept()
	if err != nil {
		return
	}
	s.mu.Lock()
	s.conn = conn
	s.mu.Unlock()
	defer conn.Close()
	req, err := http.ReadRequest(bufio.NewReader(conn))
	if err != nil {
		return
	}
	_, _ = conn.Write([]byte(answer(req)))
}

// Close stops the server and waits until it has let go of its connection.
func (s *RawServer) Close() {
	_ = s.ln.Close()
	s.mu.Lock()
	if s.conn != nil {
		_ = s.conn.Close()
	}
	s.mu.Unlock()
	<-s.done
}
