// Package live keeps every open page of a person up to date with their tasks, on every instance of
// the app that shares the database.
//
// The database tells: a statement-level trigger on tasks notifies the channel task_changes with the
// user and the ids that changed (never content), whoever wrote them. Each instance holds one
// connection that LISTENs (store.Listen), and its Hub passes each change to the server-sent-event
// streams (GET /events) of that user on this instance, and to no one else's. An event carries a
// hypermedia control, not data: a hidden element that makes htmx ask GET /events/changes for those
// ids, with the page's own list (its filter, its page) and whether it shows the list's end. That
// answer is read through the store for the signed-in user, so the ownership rule and row-level
// security hold for live updates as they do for everything else, and it brings the page up to date
// out of band: changed rows replaced in place, new ones inserted where the list has them, rows that
// left the list removed, the counts redrawn; the form being typed in, the focus, an open inline edit
// and the scroll position are not touched.
//
// Each event has an id. A page that reconnects with Last-Event-ID gets what it missed from a
// bounded record of recent changes, or, when the record cannot vouch for the gap (another instance,
// a restart, the listener was down, too long ago), one event named reset that reloads its list.
package live
