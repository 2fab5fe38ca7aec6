/**
 * `--help` for the options that pick an existing install (the catalogue's wording is the installer's: "kube
 * context to install into", "namespace for the agent"). `what` finishes "the install …", e.g. "to upgrade".
 */
export function installPickingHelp(what: string) {
  return {
    context: `kube context the install is in (default: ask; with --yes the current context)`,
    namespace: `namespace of the install ${what} (default: every namespace you may list)`,
    release: `helm release of the install ${what} (default: asked when there are several; with --yes the only one)`,
  } as const;
}
