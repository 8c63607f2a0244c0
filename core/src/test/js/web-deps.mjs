// The key-backup share code is production code of the web app (web/src/lib/backup.js), and the
// cross-check tests exactly that file. Core builds before web, so web/node_modules may not exist yet:
// this hook resolves the module's one bare import, `shamir-secret-sharing`, from core's own
// node_modules (same pinned version 0.0.4 in both package.json files). Loaded with module.register().
export async function resolve (specifier, context, next) {
  if (specifier === 'shamir-secret-sharing') return next(specifier, { ...context, parentURL: import.meta.url })
  return next(specifier, context)
}
