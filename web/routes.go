package web

import (
	"net/http"
)

// routes is the app's whole HTML surface; the JSON API (package api) is mounted under /api/.
func (s *server) routes(mux *http.ServeMux) {
	mux.Handle("GET /healthz", handleHealthz())
	mux.Handle("GET /readyz", s.handleReadyz())
	mux.Handle("GET /static/{file}", staticFiles())
	mux.Handle("GET /favicon.ico", favicon())

	// The task list and the task actions; GET /tasks/{id} gives back one task's list item
	// for htmx (what "Cancel" restores after inline editing).
	list := s.requireUser(s.handleList())
	mux.Handle("GET /{$}", list)
	mux.Handle("GET /active", list)
	mux.Handle("GET /completed", list)
	create := s.requireUser(s.handleCreateTask())
	mux.Handle("POST /tasks", create)
	// Without JavaScript the new-task form posts to the list page itself, so a refused title (422)
	// leaves the address bar on that page, and a reload or a bookmark of it still works.
	mux.Handle("POST /{$}", create)
	mux.Handle("POST /active", create)
	mux.Handle("POST /completed", create)
	mux.Handle("GET /tasks", http.RedirectHandler("/", http.StatusSeeOther))
	mux.Handle("GET /tags", s.requireUser(s.handleTagSuggestions()))
	mux.Handle("POST /tasks/toggle-all", s.requireUser(s.handleToggleAll()))
	mux.Handle("POST /tasks/clear-completed", s.requireUser(s.handleClearCompleted()))
	mux.Handle("POST /tasks/undo", s.requireUser(s.handleUndo()))
	mux.Handle("GET /tasks/{id}", s.requireUser(s.handleShowTask()))
	mux.Handle("GET /tasks/{id}/edit", s.requireUser(s.handleEditTask()))
	mux.Handle("POST /tasks/{id}", s.requireUser(s.handleUpdateTask()))
	mux.Handle("POST /tasks/{id}/toggle", s.requireUser(s.handleToggleTask()))
	mux.Handle("POST /tasks/{id}/delete", s.requireUser(s.handleDeleteTask()))
	s.liveRoutes(mux) // GET /events (server-sent events) and GET /events/changes: web/live.go

	// Sign-up, sign-in, sign-out and account deletion: Better Auth's formats.
	mux.Handle("GET /sign-up", s.handleSignUpPage())
	mux.Handle("POST /sign-up", s.handleSignUp())
	mux.Handle("GET /sign-in", s.handleSignInPage())
	mux.Handle("POST /sign-in", s.handleSignIn())
	mux.Handle("POST /sign-out", s.handleSignOut())
	mux.Handle("GET /account", s.requireUser(s.handleAccount()))
	mux.Handle("POST /account/delete", s.requireUser(s.handleDeleteAccount()))
	mux.Handle("GET /account/export", s.requireUser(s.handleExport()))

	// The account: name, password, sessions; and a forgotten password, reset by mail. Same rows and
	// formats as Better Auth's own endpoints for these.
	mux.Handle("POST /account/name", s.requireUser(s.handleChangeName()))
	mux.Handle("POST /account/password", s.requireUser(s.handleChangePassword()))
	mux.Handle("POST /account/sessions/revoke-others", s.requireUser(s.handleRevokeOtherSessions()))
	mux.Handle("POST /account/sessions/{id}/revoke", s.requireUser(s.handleRevokeSession()))
	mux.Handle("GET /forgot-password", s.handleForgotPasswordPage())
	mux.Handle("POST /forgot-password", s.handleForgotPassword())
	mux.Handle("GET /reset-password", s.handleResetPasswordPage())
	mux.Handle("POST /reset-password", s.handleResetPassword())
	// The JSON API (package api) has routes, authentication and cross-origin rules of its own.
	if s.api != nil {
		mux.Handle("/api/", s.api)
	}
}
