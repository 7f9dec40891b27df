// Every API endpoint the web app calls, in one place; a test checks each against
// docs/openapi.yaml so the app and the server's documented API cannot drift apart.
export const endpoints = {
  login: ['POST', '/api/v1/auth/login'],
  logout: ['POST', '/api/v1/auth/logout'],
  me: ['GET', '/api/v1/auth/me'],
  areas: ['GET', '/api/v1/areas'],
  area: ['GET', '/api/v1/areas/{id}'],
  areaCreate: ['POST', '/api/v1/areas'],
  areaUpdate: ['PATCH', '/api/v1/areas/{id}'],
  areaMove: ['POST', '/api/v1/areas/{id}/move'],
  areaDelete: ['DELETE', '/api/v1/areas/{id}'],
  people: ['GET', '/api/v1/people'],
  person: ['GET', '/api/v1/people/{id}'],
  personCreate: ['POST', '/api/v1/people'],
  personUpdate: ['PATCH', '/api/v1/people/{id}'],
  peopleImport: ['POST', '/api/v1/people/import'],
  users: ['GET', '/api/v1/users'],
  userCreate: ['POST', '/api/v1/users'],
  userUpdate: ['PATCH', '/api/v1/users/{id}'],
  audit: ['GET', '/api/v1/audit'],
}

export function url(name, params = {}) {
  return endpoints[name][1].replace(/\{(\w+)\}/g, (_, k) => encodeURIComponent(params[k]))
}
