// Package names checks Kubernetes names the way k8s.io/apimachinery's validation
// does, with its messages, without linking apimachinery into the function (its
// package graph costs every run about 2 MiB of resident memory).
package names
