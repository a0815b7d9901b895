package web

import (
	"errors"
	"net/http"

	"todo/store"
	"todo/todo"
	"todo/views"
)

// handleList serves a list page (/, /active, /completed), ?after=<id> being the page after that task.
// An htmx "Load more" gets only the next page's items and the control for the page after it; every
// other request, history restores included, gets the whole page.
func (s *server) handleList() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		l, _, err := todo.ParseList(r.URL.Path, r.URL.Query())
		var invalid *todo.ValidationError
		if errors.As(err, &invalid) {
			s.failTasks(w, r, invalid)
			return
		}
		if err != nil {
			s.renderError(w, r, http.StatusNotFound, "There is no such page of tasks.")
			return
		}
		v, err := s.listView(r, l)
		if err != nil {
			s.failTasks(w, r, err)
			return
		}
		if wantsFragment(r) && l.After > 0 {
			// Appended to a list the page already shows: actions on these come back to that page.
			v.Return = l.First().URL()
			render(w, r, http.StatusOK, views.MoreTasks(v))
			return
		}
		if wantsFragment(r) && r.Header.Get("HX-Target") == "todo-app" {
			// The list controls, as the person types: the list for the new search.
			render(w, r, http.StatusOK, views.SearchedList(v))
			return
		}
		s.renderList(w, r, http.StatusOK, v, s.newTaskForm(v.Return))
	})
}

// renderList writes the whole list page, taking the flash messages queued for it.
func (s *server) renderList(w http.ResponseWriter, r *http.Request, status int, v views.ListView, form views.TaskForm) {
	c := s.chrome(w, r, v.List.Filter.Title())
	c.Undo = s.undo.Get(r)
	render(w, r, status, views.ListPage(c, v, form))
}

// chrome is the frame of a signed-in page.
func (s *server) chrome(w http.ResponseWriter, r *http.Request, title string) views.Chrome {
	u, _ := currentUser(r.Context())
	return views.Chrome{Title: title, UserName: u.Name, Flashes: s.flash.Take(w, r)}
}

// listView reads the page l names, for answers that show the list.
func (s *server) listView(r *http.Request, l todo.List) (views.ListView, error) {
	page, err := s.tasksOf(r).List(r.Context(), store.ListOptions{Filter: l.Filter, Search: l.Search,
		After: l.After, AfterKey: l.AfterKey, Today: todo.Today()})
	if err != nil {
		return views.ListView{}, err
	}
	return views.ListView{List: l, Tasks: page.Tasks, Counts: page.Counts, Next: page.Next, Return: l.URL(),
		Matches: page.Matches}, nil
}

// handleTagSuggestions answers the tag field's request for suggestions: the user's own tags.
func (s *server) handleTagSuggestions() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		tags, err := s.tasksOf(r).Tags(r.Context())
		if err != nil {
			s.fail(w, r, err)
			return
		}
		render(w, r, http.StatusOK, views.TagSuggestions(tags))
	})
}

// failTasks answers a failed list or task request. For htmx the message goes to the page's message
// region, instead of the element the request meant to replace (renderError); a task that is not
// there (deleted in another tab) also leaves the page (taskGone).
func (s *server) failTasks(w http.ResponseWriter, r *http.Request, err error) {
	if s.taskGone(w, r, err) {
		return
	}
	s.fail(w, r, err)
}
