// Package intake reads what a shop tells the desk about its orders and
// returns: Shopify's order and fulfillment webhooks, wismo's own return
// webhook, and CSV files of orders and of returns. It only parses and
// checks; storing what it returns is the tracker's job, so a caller can
// reject a whole file or delivery before anything is written.
//
// Everything that arrives is untrusted: a webhook is parsed only after
// VerifyShopify vouched for it, ids are read as 64-bit integers (never
// floats, which lose digits above 2^53), and every CSV row is checked and
// reported by its line number. An order or a return with any bad row is
// left out whole, so an import never writes half an order.
package intake
