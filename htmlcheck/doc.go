// Package htmlcheck holds the test that every page and htmx fragment the app serves is valid HTML by
// the Nu HTML Checker (npm's vnu-jar, run with the system's Java): the real binary is started on a
// scratch database and asked for each of them as a signed-in user would. The check needs
// `make test` (or scripts/test.sh), which provides the template database, node_modules and Java.
package htmlcheck
