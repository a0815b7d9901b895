package web

import (
	"errors"
	"net/http"

	"todo/todo"
	"todo/views"
)

// taskGone answers an htmx action on a task that is not there (deleted in another tab, or never
// the user's): 404 with the message, and out of band the task's row taken off the page and what
// depends on the counts drawn anew, so the page stops showing what is not there. It reports whether
// it answered.
func (s *server) taskGone(w http.ResponseWriter, r *http.Request, err error) bool {
	if !wantsFragment(r) || !errors.Is(err, todo.ErrNotFound) || errors.Is(err, todo.ErrNoUndo) {
		return false
	}
	id, idErr := taskID(r)
	if idErr != nil {
		return false
	}
	_, message := statusOf(err)
	counts, err := s.tasksOf(r).Counts(r.Context())
	if err != nil { // the row still goes; the counts come with the next answer
		s.renderError(w, r, http.StatusNotFound, message, views.TaskGone(id))
		return true
	}
	back := s.returnTarget(r, r.PostForm.Get("return"))
	v := views.ListView{List: back, Counts: counts, Return: back.URL()}
	s.renderError(w, r, http.StatusNotFound, message, views.TaskGone(id), views.ListUpdates(v))
	return true
}
