package tracker

import (
	"net/http"

	"github.com/wismo/wismo/store"
	"github.com/wismo/wismo/tracker/intake"
)

// shopProvider names the shop's webhook route and its health record.
const shopProvider = "shopify"

// shopHook is the shop's webhook as the receiver takes it.
type shopHook struct {
	t       *Tracker
	secrets []string
}

func (s shopHook) verify(h http.Header, body []byte) error {
	return intake.VerifyShopify(h, body, s.secrets)
}

// parse reads an order, a fulfillment or a return; a topic wismo has no
// use for is acknowledged and changes nothing.
func (s shopHook) parse(h http.Header, body []byte) (string, func(*store.Tx) error, error) {
	d, err := intake.ParseShopifyRequest(h, body)
	if err != nil {
		return "", nil, err
	}
	return d.ID, func(tx *store.Tx) error {
		now := s.t.now()
		switch {
		case d.Order != nil:
			return s.t.ImportOrder(tx, *d.Order, now)
		case d.Fulfillment != nil:
			return s.t.ImportFulfillment(tx, *d.Fulfillment, now)
		case d.Return != nil:
			return s.t.ImportReturn(tx, *d.Return, now)
		}
		return nil
	}, nil
}
