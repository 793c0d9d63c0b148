package bench

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"fmt"
	"math/big"
	"net"
	"os"
	"path/filepath"
	"time"
)

// OrgHost is the loopback address of simulated org i (0-based) in a multi-org run: 127.1.0.1,
// 127.1.0.2, … 127.1.0.250, 127.1.1.1, …. Linux routes all of 127.0.0.0/8 to the loopback
// interface, so every org has an address, and a resource attribute okta.org.domain, of its own.
func OrgHost(i int) string {
	return fmt.Sprintf("127.1.%d.%d", i/250, i%250+1)
}

// LoopbackCert is a self-signed TLS certificate for loopback addresses and the PEM file a client
// trusts it with.
type LoopbackCert struct {
	Cert   tls.Certificate
	CAFile string
}

// NewLoopbackCert makes a certificate (ECDSA P-256, valid for a day) for the given IP addresses
// and writes it as ca.pem in dir.
func NewLoopbackCert(hosts []string, dir string) (*LoopbackCert, error) {
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		return nil, err
	}
	tmpl := &x509.Certificate{
		SerialNumber:          big.NewInt(time.Now().UnixNano()),
		Subject:               pkix.Name{CommonName: "oktabench loopback orgs"},
		NotBefore:             time.Now().Add(-time.Hour),
		NotAfter:              time.Now().Add(24 * time.Hour),
		KeyUsage:              x509.KeyUsageDigitalSignature | x509.KeyUsageCertSign,
		ExtKeyUsage:           []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
		BasicConstraintsValid: true,
		IsCA:                  true,
	}
	for _, h := range hosts {
		ip := net.ParseIP(h)
		if ip == nil {
			return nil, fmt.Errorf("%q is not an IP address", h)
		}
		tmpl.IPAddresses = append(tmpl.IPAddresses, ip)
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		return nil, err
	}
	ca := filepath.Join(dir, "ca.pem")
	if err := os.WriteFile(ca, pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der}), 0o600); err != nil {
		return nil, err
	}
	return &LoopbackCert{Cert: tls.Certificate{Certificate: [][]byte{der}, PrivateKey: key}, CAFile: ca}, nil
}
