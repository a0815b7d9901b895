// Package todo is the app's domain: what a task is, the rules its input follows, which tasks a list
// shows, the counts, and the errors every layer speaks. It imports nothing of the app; store, views
// and web import it, so a rule lives here once and a new field touches one place per layer.
package todo
