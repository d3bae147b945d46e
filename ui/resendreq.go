package ui

import (
	"slices"

	"github.com/wismo/wismo/store"
	"github.com/wismo/wismo/tracker/notify"
)

// triggers are the messages the dialog offers, in the order a parcel
// and then a return live through them.
var triggers = []notify.Trigger{
	notify.Shipped, notify.OutForDelivery, notify.AvailableForPickup, notify.Delivered,
	notify.Delay, notify.Exception, notify.ReturnReceived, notify.RefundIssued,
}

// channels are the ways a customer can be told.
var channels = []notify.Channel{notify.Email, notify.SMS, notify.WhatsApp}

// resendReq is what the dialog opens on: the order, the parcel or return
// the message is about, the message and channel first offered, and the
// notification resent if the agent picked one from the log.
type resendReq struct {
	order   string
	parcel  store.ParcelID
	ret     string
	trigger notify.Trigger
	channel notify.Channel
	of      store.NotificationID
}

// resendFor offers a parcel's news: the message that fits its status.
func resendFor(p store.Parcel) resendReq {
	return resendReq{order: p.Order, parcel: p.ID, trigger: statusTrigger(p.Status), channel: notify.Email}
}

// resendOf offers a notification again, as it was.
func resendOf(n store.Notification) resendReq {
	r := resendReq{order: n.Order, parcel: n.Parcel, ret: n.Return, of: n.ID,
		trigger: notify.Trigger(n.Trigger), channel: notify.Channel(n.Channel)}
	if !slices.Contains(triggers, r.trigger) {
		r.trigger = notify.Shipped
	}
	if !slices.Contains(channels, r.channel) {
		r.channel = notify.Email
	}
	return r
}

// statusTrigger is the message that tells a customer a parcel's status.
func statusTrigger(s store.Status) notify.Trigger {
	switch s {
	case store.StatusOutForDelivery:
		return notify.OutForDelivery
	case store.StatusAvailableForPickup:
		return notify.AvailableForPickup
	case store.StatusDelivered:
		return notify.Delivered
	case store.StatusAttemptFailed, store.StatusException:
		return notify.Exception
	}
	return notify.Shipped
}

// returnTrigger reports whether t is news of a return rather than a
// parcel.
func returnTrigger(t notify.Trigger) bool {
	return t == notify.ReturnReceived || t == notify.RefundIssued
}
