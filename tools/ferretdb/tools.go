//go:build tools

// Package tools pins the FerretDB release that Tessera's tests and embedded
// default run on; libs/embedded-mongo builds it from this module.
package tools

import _ "github.com/FerretDB/FerretDB/cmd/ferretdb"
