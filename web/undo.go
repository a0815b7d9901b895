package web

import (
	"context"
	"crypto/sha256"
	"errors"
	"net/http"
	"strconv"
	"time"

	"github.com/a-h/templ"
	"github.com/gorilla/sessions"

	"todo/todo"
	"todo/views"
)

// The offer to undo. The record of what an action changed lives in the database (store/undo.go);
// which action the person may take back is remembered in a signed cookie that lives as long as the
// record can be undone, so the offer is on the page the redirect of a plain form leads to, and on
// every list page loaded after an htmx action, reloads included, until it expires or is used.

const undoCookie = "todo_undo"

// undoOffers reads and writes the offer cookie.
type undoOffers struct {
	store *sessions.CookieStore
}

func newUndoOffers(secret string, secure bool) *undoOffers {
	// A key of its own, derived from the shared secret, like the flash cookie's.
	key := sha256.Sum256([]byte("todo undo offers\x00" + secret))
	cs := sessions.NewCookieStore(key[:])
	cs.Options = &sessions.Options{
		Path:     "/",
		MaxAge:   int(todo.UndoWindow / time.Second),
		HttpOnly: true,
		Secure:   secure,
		SameSite: http.SameSiteLaxMode,
	}
	cs.MaxAge(cs.Options.MaxAge) // the signed value expires with the cookie
	return &undoOffers{store: cs}
}

// Set remembers the offer to undo u, which did what message says; it expires with the record.
func (o *undoOffers) Set(w http.ResponseWriter, r *http.Request, u todo.Undo, message string) {
	sess, _ := o.store.New(r, undoCookie)
	sess.Values["id"] = strconv.FormatInt(u.ID, 10)
	sess.Values["message"] = message
	sess.Values["until"] = strconv.FormatInt(u.Until.Unix(), 10)
	sess.Options.MaxAge = max(1, int(time.Until(u.Until)/time.Second))
	_ = sess.Save(r, w) // only fails on encoding, which strings don't
}

// Get is the offer the request's cookie carries, if it has not expired.
func (o *undoOffers) Get(r *http.Request) *views.UndoOffer {
	if _, err := r.Cookie(undoCookie); err != nil {
		return nil
	}
	sess, err := o.store.Get(r, undoCookie)
	if err != nil {
		return nil
	}
	id, _ := sess.Values["id"].(string)
	message, _ := sess.Values["message"].(string)
	until, _ := sess.Values["until"].(string)
	n, ok := todo.ParseID(id, false)
	end, err := strconv.ParseInt(until, 10, 64)
	if !ok || err != nil || time.Now().Unix() >= end {
		return nil
	}
	return &views.UndoOffer{ID: n, Message: message}
}

// Clear forgets the offer.
func (o *undoOffers) Clear(w http.ResponseWriter, r *http.Request) {
	if _, err := r.Cookie(undoCookie); err != nil {
		return
	}
	sess, _ := o.store.New(r, undoCookie)
	sess.Options.MaxAge = -1
	_ = sess.Save(r, w)
}

// undoable finishes an action that can be taken back: the offer to undo it replaces any earlier one
// (for a plain form it is on the page the redirect leads to), and the list is drawn by fragment
// (for htmx).
func (s *server) undoable(w http.ResponseWriter, r *http.Request, back todo.List, u todo.Undo, message string, fragment func() (templ.Component, error)) {
	s.sweepUndo()
	s.undo.Set(w, r, u, message)
	offer := &views.UndoOffer{ID: u.ID, Message: message}
	s.answer(w, r, back, "", func() (templ.Component, error) {
		c, err := fragment()
		return templ.Join(c, views.FlashesOOB(), views.UndoOOB(offer)), err
	})
}

// handleUndo takes back an undoable action (POST /tasks/undo, field "undo": the record's id): the
// tasks come back as they were, and the list is drawn anew. A record that is gone (undone already,
// expired, another user's) is 404, and nothing changes.
func (s *server) handleUndo() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		form, err := readForm(r, "undo", "return")
		if err != nil {
			s.failTasks(w, r, err)
			return
		}
		back := s.returnTarget(r, form["return"])
		id, ok := todo.ParseID(form["undo"], false)
		if !ok {
			err = todo.ErrNoUndo
		}
		var u todo.Undo
		if err == nil {
			u, err = s.tasksOf(r).Undo(r.Context(), id)
		}
		if errors.Is(err, todo.ErrNotFound) {
			if offer := s.undo.Get(r); offer != nil && offer.ID == id {
				s.undo.Clear(w, r) // nothing left to offer
			}
			s.renderError(w, r, http.StatusNotFound, noUndo, views.UndoOOB(nil))
			return
		}
		if err != nil {
			s.failTasks(w, r, err)
			return
		}
		if offer := s.undo.Get(r); offer != nil && offer.ID == id {
			s.undo.Clear(w, r)
		}
		message := undoneMessage(u)
		s.answer(w, r, back, message, func() (templ.Component, error) {
			v, err := s.listView(r, back.First())
			return templ.Join(views.TodoApp(v), views.FlashesOOB(message), views.UndoOOB(nil)), err
		})
	})
}

var noUndo = "There is nothing to undo: it was undone already, or it is more than " + humanDuration(todo.UndoWindow) + " old."

func undoneMessage(u todo.Undo) string {
	if u.Tasks == 0 {
		return "Nothing needed putting back."
	}
	if u.Action == todo.UndoDelete {
		if u.Tasks == 1 {
			return "Restored 1 task."
		}
		return "Restored " + strconv.Itoa(u.Tasks) + " tasks."
	}
	return "Put " + tasksCount(int64(u.Tasks)) + " back as they were."
}

// sweepUndo deletes every user's expired undo records, at most once per sweepEvery, after the
// answer: those of users who never come back too (each user's own actions delete theirs).
func (s *server) sweepUndo() {
	now := time.Now().UnixNano()
	last := s.lastUndoSweep.Load()
	if now-last < int64(sweepEvery) || !s.lastUndoSweep.CompareAndSwap(last, now) {
		return
	}
	s.jobs.Go(func(ctx context.Context) {
		if n, err := s.store.DeleteExpiredUndo(ctx); err != nil {
			s.log.Warn("expired undo records not deleted", "err", err)
		} else if n > 0 {
			s.log.Info("expired undo records deleted", "count", n)
		}
	})
}
