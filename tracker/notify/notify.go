// Package notify turns a notification into a message a customer receives:
// templates render it per trigger, channel and locale, and senders deliver
// it by email (SMTP) or by SMS and WhatsApp (a Twilio-compatible Messages
// API). It knows nothing of the store: the tracker's outbox worker decides
// what to send and records how it went.
package notify

import (
	"context"
	"errors"
)

// Channel is how a customer is told.
type Channel string

// The channels.
const (
	Email    Channel = "email"
	SMS      Channel = "sms"
	WhatsApp Channel = "whatsapp"
)

// Trigger is what a notification tells the customer.
type Trigger string

// The triggers templates exist for.
const (
	Shipped            Trigger = "shipped"
	OutForDelivery     Trigger = "out_for_delivery"
	Delivered          Trigger = "delivered"
	Delay              Trigger = "delay"
	Exception          Trigger = "exception"
	AvailableForPickup Trigger = "available_for_pickup"
	ReturnReceived     Trigger = "return_received"
	RefundIssued       Trigger = "refund_issued"
)

// Message is one notification rendered for one recipient, ready to send.
type Message struct {
	// ID is the outbox's id for the message. It is stable across retries,
	// so a message sent again after a crash can be recognised: email uses
	// it in the Message-ID, the SMS provider as an idempotency key.
	ID      string
	Channel Channel
	// To is an email address, or an E.164 phone number ("+491701234567").
	To string
	// Subject and HTML are email's; Text is every channel's body.
	Subject, Text, HTML string
}

// Sender delivers messages of one channel.
type Sender interface {
	// Send delivers m and returns the provider's id for it (an SMS sid, the
	// Message-ID of an email). An error wrapping ErrPermanent will fail the
	// same way again (a refused address, a 400); any other is worth a retry.
	Send(ctx context.Context, m Message) (providerID string, err error)
}

// ErrPermanent marks a send failure that retrying will not mend.
var ErrPermanent = errors.New("permanent failure")
