// Lets the package load until this target's tests land.
