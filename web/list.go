package web

import (
	"net/http"

	"todo/store"
	"todo/views"
)

// handleList serves a list page (/, /active, /completed), ?after=<id> being the page after that task.
// An htmx "Load more" gets only the next page's items and the control for the page after it; every
// other request, history restores included, gets the whole page.
func (s *server) handleList(f store.Filter) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		after, ok := parseAfter(r.URL.Query().Get("after"))
		if !ok {
			s.renderError(w, r, http.StatusNotFound, "There is no such page of tasks.")
			return
		}
		page, err := s.tasksOf(r).List(r.Context(), store.ListOptions{Filter: f, After: after})
		if err != nil {
			s.failTasks(w, r, err)
			return
		}
		v := views.ListView{Filter: f, Tasks: page.Tasks, Counts: page.Counts, After: after, Next: page.Next}
		if wantsFragment(r) && after > 0 {
			// Appended to a list the page already shows: actions on these come back to that page.
			v.Return = views.FilterPath(f)
			render(w, r, http.StatusOK, views.MoreTasks(v))
			return
		}
		v.Return = pageURL(f, after)
		s.renderList(w, r, http.StatusOK, v, s.newTaskForm(v.Return))
	})
}

// renderList writes the whole list page, taking the flash messages queued for it.
func (s *server) renderList(w http.ResponseWriter, r *http.Request, status int, v views.ListView, form views.TaskForm) {
	render(w, r, status, views.ListPage(s.chrome(w, r, views.FilterTitle(v.Filter)), v, form))
}

// chrome is the frame of a signed-in page.
func (s *server) chrome(w http.ResponseWriter, r *http.Request, title string) views.Chrome {
	u, _ := currentUser(r.Context())
	return views.Chrome{Title: title, UserName: u.Name, Flashes: s.flash.Take(w, r)}
}

// listView reads the page a target names, for answers that re-render the list.
func (s *server) listView(r *http.Request, t listTarget) (views.ListView, error) {
	page, err := s.tasksOf(r).List(r.Context(), store.ListOptions{Filter: t.Filter, After: t.After})
	if err != nil {
		return views.ListView{}, err
	}
	return views.ListView{
		Filter: t.Filter, Tasks: page.Tasks, Counts: page.Counts,
		After: t.After, Next: page.Next, Return: t.URL,
	}, nil
}

// failTasks answers a failed list or task request. For htmx the message goes to the page's message
// area, scrolled into view, instead of the element the request meant to replace (a task's <li> must
// not turn into an error paragraph).
func (s *server) failTasks(w http.ResponseWriter, r *http.Request, err error) {
	if wantsFragment(r) {
		w.Header().Set("HX-Retarget", "#flashes")
		w.Header().Set("HX-Reswap", "innerHTML show:top") // scrolled to, wherever the user was
	}
	s.fail(w, r, err)
}
