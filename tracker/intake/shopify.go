package intake

import (
	"fmt"
	"net/http"
	"strings"

	"github.com/wismo/wismo/carriers"
)

// The headers Shopify sends with every webhook.
const (
	// HeaderHMAC is the base64 HMAC-SHA256 of the raw body, keyed with the
	// app's client secret.
	HeaderHMAC = "X-Shopify-Hmac-Sha256"
	// HeaderTopic names what happened: "orders/create", ...
	HeaderTopic = "X-Shopify-Topic"
	// HeaderWebhookID is the delivery's id: Shopify's retries of one
	// delivery carry the same one.
	HeaderWebhookID = "X-Shopify-Webhook-Id"
	// HeaderShop is the shop's myshopify.com domain.
	HeaderShop = "X-Shopify-Shop-Domain"
)

// The topics ParseShopify reads. TopicReturn is wismo's own: see
// ReturnWebhook.
const (
	TopicOrderCreate       = "orders/create"
	TopicOrderUpdated      = "orders/updated"
	TopicFulfillmentCreate = "fulfillments/create"
	TopicFulfillmentUpdate = "fulfillments/update"
	TopicReturn            = "wismo/return"
)

// Delivery is one Shopify webhook call's content: at most one of Order,
// Fulfillment and Return is set, none for a topic wismo does not read.
type Delivery struct {
	// ID is the X-Shopify-Webhook-Id: a retry carries the same one, so
	// the receiver applies a delivery once.
	ID    string
	Topic string
	// Shop is the X-Shopify-Shop-Domain.
	Shop        string
	Order       *Order
	Fulfillment *Fulfillment
	Return      *Return
}

// VerifyShopify checks X-Shopify-Hmac-Sha256 against each of secrets
// (several while one is rotated: Shopify may sign with the old one for an
// hour), in constant time. A missing, malformed or wrong signature, or no
// usable secret, is an error wrapping carriers.ErrSignature, as for the
// carriers' webhooks. Empty secrets are skipped: anyone can sign with one.
func VerifyShopify(h http.Header, body []byte, secrets []string) error {
	mac, err := carriers.Base64MAC("shopify", HeaderHMAC, h.Get(HeaderHMAC))
	if err != nil {
		return err
	}
	return carriers.VerifyHMAC("shopify", body, mac, secrets, nil)
}

// ParseShopifyRequest parses a verified body with the topic, delivery id
// and shop its headers name.
func ParseShopifyRequest(h http.Header, body []byte) (Delivery, error) {
	d, err := ParseShopify(h.Get(HeaderTopic), body)
	d.ID = strings.TrimSpace(h.Get(HeaderWebhookID))
	d.Shop = strings.TrimSpace(h.Get(HeaderShop))
	return d, err
}

// ParseShopify parses a verified body of a topic: an order for
// orders/create and orders/updated, a fulfillment for fulfillments/create
// and fulfillments/update, a return for wismo/return. Any other topic
// gives a Delivery with nothing in it and no error, so Shopify does not
// keep retrying a delivery the desk has no use for.
func ParseShopify(topic string, body []byte) (Delivery, error) {
	d := Delivery{Topic: topic}
	var err error
	switch topic {
	case TopicOrderCreate, TopicOrderUpdated:
		d.Order, err = parseShopifyOrder(body)
	case TopicFulfillmentCreate, TopicFulfillmentUpdate:
		d.Fulfillment, err = parseShopifyFulfillment(body)
	case TopicReturn:
		d.Return, err = parseReturnWebhook(body)
	}
	if err != nil {
		return Delivery{Topic: topic}, fmt.Errorf("shopify %s: %w", topic, err)
	}
	return d, nil
}
