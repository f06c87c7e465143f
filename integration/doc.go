// Package integration runs the function the ways users do, with the real tools:
// standalone kustomize (exec and container), kpt (render and eval, exec and image),
// Argo CD's plugin generate command, and the container image under podman with the
// orchestrators' own flags. A missing tool skips its tests locally and fails them
// when CI=true; scripts/test.sh installs every tool first.
package integration
