// Package check runs KubeVirt's admission rules for networks and interfaces
// (KubeVirt v1.9's webhook, messages in messages.go) on each VM, lints NADs, and checks the
// whole input for what no single object shows (duplicate MACs). Checks only
// read; every violation is a finding with KubeVirt's message, its field path
// and a fix.
package check
