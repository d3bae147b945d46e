package notify

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"io"
	"log"
	"math/big"
	"net"
	"sync"
	"testing"
	"time"

	"github.com/emersion/go-sasl"
	"github.com/emersion/go-smtp"
)

// mailServer is a real SMTP server on loopback that keeps what it is sent
// and answers with a given error where told to.
type mailServer struct {
	host string
	port int

	// user and pass, when set, must log in before MAIL.
	user, pass string
	// implicitTLS serves TLS from the first byte instead of STARTTLS.
	implicitTLS bool
	// helloErr, rcptErr and dataErr are answered to EHLO, RCPT and the
	// end of DATA.
	helloErr, rcptErr, dataErr *smtp.SMTPError

	mu       sync.Mutex
	sessions int
	got      [][]byte
}

// startMailServer serves srv on a free loopback port, offering STARTTLS
// (or TLS from the start) when tlsConf is set; a login is then accepted
// only over TLS.
func startMailServer(t *testing.T, srv *mailServer, tlsConf *tls.Config) *mailServer {
	t.Helper()
	s := smtp.NewServer(srv)
	s.Domain = "mx.test"
	s.TLSConfig = tlsConf
	s.AllowInsecureAuth = tlsConf == nil
	s.ReadTimeout, s.WriteTimeout = 5*time.Second, 5*time.Second
	s.ErrorLog = log.New(io.Discard, "", 0)
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	if srv.implicitTLS {
		l = tls.NewListener(l, tlsConf)
	}
	go func() { _ = s.Serve(l) }()
	t.Cleanup(func() { _ = s.Close() })
	srv.host, srv.port = "127.0.0.1", l.Addr().(*net.TCPAddr).Port
	return srv
}

func (srv *mailServer) NewSession(*smtp.Conn) (smtp.Session, error) {
	srv.mu.Lock()
	defer srv.mu.Unlock()
	srv.sessions++
	if srv.helloErr != nil {
		return nil, srv.helloErr
	}
	return &mailSession{srv: srv}, nil
}

// messages is what the server has taken so far.
func (srv *mailServer) messages() [][]byte {
	srv.mu.Lock()
	defer srv.mu.Unlock()
	return srv.got
}

type mailSession struct {
	srv    *mailServer
	authed bool
}

func (s *mailSession) AuthMechanisms() []string { return []string{sasl.Plain} }

func (s *mailSession) Auth(string) (sasl.Server, error) {
	return sasl.NewPlainServer(func(_, user, pass string) error {
		if user != s.srv.user || pass != s.srv.pass {
			// Echoing the password is careless, and some servers are.
			return &smtp.SMTPError{Code: 535, EnhancedCode: smtp.EnhancedCode{5, 7, 8}, Message: "bad password " + pass}
		}
		s.authed = true
		return nil
	}), nil
}

func (s *mailSession) Mail(string, *smtp.MailOptions) error {
	if s.srv.user != "" && !s.authed {
		return smtp.ErrAuthRequired
	}
	return nil
}

func (s *mailSession) Rcpt(string, *smtp.RcptOptions) error {
	if s.srv.rcptErr != nil {
		return s.srv.rcptErr
	}
	return nil
}

func (s *mailSession) Data(r io.Reader) error {
	b, err := io.ReadAll(r)
	if err != nil {
		return err
	}
	if s.srv.dataErr != nil {
		return s.srv.dataErr
	}
	s.srv.mu.Lock()
	defer s.srv.mu.Unlock()
	s.srv.got = append(s.srv.got, b)
	return nil
}

func (s *mailSession) Reset() {}

func (s *mailSession) Logout() error { return nil }

// selfSigned makes a certificate for 127.0.0.1 that is its own CA: the
// server's TLS config, and the pool a client must be given to trust it.
func selfSigned(t *testing.T) (*tls.Config, *x509.CertPool) {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	tmpl := &x509.Certificate{
		SerialNumber:          big.NewInt(1),
		Subject:               pkix.Name{CommonName: "mx.test"},
		NotBefore:             time.Now().Add(-time.Hour),
		NotAfter:              time.Now().Add(time.Hour),
		IPAddresses:           []net.IP{net.IPv4(127, 0, 0, 1)},
		KeyUsage:              x509.KeyUsageDigitalSignature | x509.KeyUsageCertSign,
		ExtKeyUsage:           []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
		BasicConstraintsValid: true,
		IsCA:                  true,
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		t.Fatal(err)
	}
	cert, err := x509.ParseCertificate(der)
	if err != nil {
		t.Fatal(err)
	}
	pool := x509.NewCertPool()
	pool.AddCert(cert)
	return &tls.Config{Certificates: []tls.Certificate{{Certificate: [][]byte{der}, PrivateKey: key}}}, pool
}
