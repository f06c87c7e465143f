// Package nad reads NetworkAttachmentDefinitions from the input and derives new
// ones from logical networks. Derivation is pure: a network and a namespace in,
// one NAD out.
package nad
