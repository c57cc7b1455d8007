package store

import (
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	bolt "go.etcd.io/bbolt"
)

// Roles of user accounts: a viewer reads; a reviewer also scores, confirms
// and dismisses; an admin also runs audits, issues notices and manages users.
const (
	RoleViewer   = "viewer"
	RoleReviewer = "reviewer"
	RoleAdmin    = "admin"
)

// Roles lists the roles, least privileged first.
func Roles() []string { return []string{RoleViewer, RoleReviewer, RoleAdmin} }

// ErrUserExists is returned by AddUser for a name already taken.
var ErrUserExists = errors.New("user exists")

// User is an account of the reviewer UI. Hash is a bcrypt hash made by the
// caller: the store never sees a password.
type User struct {
	Name     string    `json:"name"`
	Role     string    `json:"role"`
	Hash     []byte    `json:"hash"`
	Disabled bool      `json:"disabled,omitempty"`
	Created  time.Time `json:"created"`
	Changed  time.Time `json:"changed"` // password or role last changed
}

func validUserName(name string) error {
	if name == "" || len(name) > 64 || strings.ContainsAny(name, " /\t\r\n") {
		return fmt.Errorf("user name %q: want 1 to 64 characters without spaces or /", name)
	}
	return nil
}

// AddUser records a new account.
func (db *DB) AddUser(u User) error {
	if err := validUserName(u.Name); err != nil {
		return fmt.Errorf("store: add user: %w", err)
	}
	if !slices.Contains(Roles(), u.Role) {
		return fmt.Errorf("store: add user %s: role %q is not one of %s", u.Name, u.Role, strings.Join(Roles(), ", "))
	}
	err := db.update(func(tx *bolt.Tx) error {
		b := tx.Bucket(bucketUsers)
		if b.Get([]byte(u.Name)) != nil {
			return ErrUserExists
		}
		if u.Created.IsZero() {
			u.Created = time.Now()
		}
		u.Changed = u.Created
		return putJSON(b, u.Name, u)
	})
	if err != nil {
		return fmt.Errorf("store: add user %s: %w", u.Name, err)
	}
	return nil
}

// UpdateUser applies fn to the stored account of name.
func (db *DB) UpdateUser(name string, fn func(*User) error) (User, error) {
	var u User
	err := db.update(func(tx *bolt.Tx) error {
		b := tx.Bucket(bucketUsers)
		raw := b.Get([]byte(name))
		if raw == nil {
			return ErrNotFound
		}
		if err := unmarshal(raw, &u); err != nil {
			return err
		}
		if err := fn(&u); err != nil {
			return err
		}
		if !slices.Contains(Roles(), u.Role) {
			return fmt.Errorf("role %q is not one of %s", u.Role, strings.Join(Roles(), ", "))
		}
		u.Changed = time.Now()
		return putJSON(b, u.Name, u)
	})
	if err != nil {
		return User{}, fmt.Errorf("store: user %s: %w", name, err)
	}
	return u, nil
}

// GetUser returns the account of name, or an error wrapping ErrNotFound.
func (db *DB) GetUser(name string) (User, error) {
	var u User
	err := db.view(func(tx *bolt.Tx) error {
		raw := tx.Bucket(bucketUsers).Get([]byte(name))
		if raw == nil {
			return ErrNotFound
		}
		return unmarshal(raw, &u)
	})
	if err != nil {
		return User{}, fmt.Errorf("store: user %s: %w", name, err)
	}
	return u, nil
}

// Users returns every account by name.
func (db *DB) Users() ([]User, error) {
	var out []User
	err := db.view(func(tx *bolt.Tx) (err error) {
		out, err = decodeBucket[User](tx, bucketUsers, "user")
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("store: users: %w", err)
	}
	return out, nil
}

func putJSON(b *bolt.Bucket, key string, v any) error {
	raw, err := json.Marshal(v)
	if err != nil {
		return err
	}
	return b.Put([]byte(key), raw)
}

// ActionAccount is the event action of an account change.
const ActionAccount = "account"

// LogAccount records an account change in the audit log: who (by) did what
// (why, e.g. "添加用户 li（审核员）") to the account of name.
func (db *DB) LogAccount(by, name, why string, at time.Time) error {
	err := db.update(func(tx *bolt.Tx) error {
		return appendEvent(tx, Event{Subject: name, Action: ActionAccount, By: by, At: at, Why: why})
	})
	if err != nil {
		return fmt.Errorf("store: log account %s: %w", name, err)
	}
	return nil
}
