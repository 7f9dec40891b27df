// English: complete, key for key with zh-CN.
export default {
  app: { name: 'fangkong', title: 'Community prevention and control' },
  common: {
    search: 'Search', reset: 'Reset', save: 'Save', cancel: 'Cancel', create: 'New', edit: 'Edit',
    delete: 'Delete', confirm: 'OK', back: 'Back', more: 'Load more', loading: 'Loading…', none: 'No data',
    actions: 'Actions', saved: 'Saved', deleted: 'Deleted', yes: 'Yes', no: 'No', download: 'Download',
    language: 'Language', logout: 'Log out', total: '{n} in all', required: 'Required',
  },
  role: {
    admin: 'Administrator', commander: 'Command centre', community: 'Community staff', grid: 'Grid worker',
    building: 'Building lead', registrar: 'Registrar', lab: 'Lab', volunteer: 'Volunteer', resident: 'Resident',
  },
  nav: { home: 'Home', areas: 'Areas', people: 'Residents', import: 'Import residents', users: 'Users and roles', audit: 'Audit log', me: 'Me' },
  login: {
    title: 'Log in', username: 'Username', password: 'Password', submit: 'Log in',
    bad: 'Wrong username or password', locked: 'Account locked: {msg}', throttled: 'Too many attempts, try again later',
  },
  home: { welcome: 'Welcome, {name}', scope: 'Jurisdiction', role: 'Role' },
  area: {
    tree: 'Area tree', kind: 'Kind', name: 'Name', code: 'Code', path: 'Path', responsible: 'Responsible',
    title: 'Title', phone: 'Phone', addChild: 'New child', rename: 'Edit', move: 'Move', newParent: 'New parent code',
    residents: 'Residents', children: 'Children', confirmDelete: 'Delete this area?', notEmpty: 'The area is not empty and cannot be deleted',
    kinds: {
      district: 'District', street: 'Street', community: 'Community', village: 'Village', grid: 'Grid', building: 'Building',
      unit: 'Unit', household: 'Household', compound: 'Compound', park: 'Park', other: 'Other',
    },
  },
  people: {
    title: 'Residents', name: 'Name', idType: 'ID type', idNumber: 'ID number', phone: 'Phone', sex: 'Sex',
    birth: 'Birth date', age: 'Age', area: 'Area', household: 'Household', residence: 'Residence', tags: 'Tags',
    note: 'Note', query: 'Name / ID number / phone', tagFilter: 'Tag', masked: 'Masked',
    auditNote: 'Viewing a resident is recorded (who, when, from where).', detail: 'Resident', M: 'Male', F: 'Female',
    residences: { registered: 'Registered', permanent: 'Permanent', temporary: 'Temporary', visitor: 'Visitor' },
    tagNames: {
      elderly_alone: 'Elderly living alone', bedridden: 'Bedridden', disabled: 'Disabled', pregnant: 'Pregnant', child: 'Child',
      key_person: 'Key person', home_sampling: 'Home sampling',
    },
    idTypes: { resident: 'Resident ID card', passport: 'Passport', hkmo: 'HK/Macao permit', tw: 'Taiwan permit', other: 'Other' },
  },
  import: {
    title: 'Import residents', pick: 'Choose a CSV or XLSX file', encoding: 'Encoding', auto: 'Detect',
    area: 'Default area code', run: 'Import', result: 'Result', total: 'Rows', created: 'Created', updated: 'Updated',
    unchanged: 'Unchanged', failed: 'Failed', line: 'Line', column: 'Column', field: 'Field', reason: 'Reason',
    downloadErrors: 'Download error report', hint: 'Headers in Chinese or English: 姓名/name, 身份证号/id_number, 手机号/phone, 楼栋/building…',
  },
  users: {
    title: 'Users and roles', username: 'Username', displayName: 'Name', role: 'Role', scopes: 'Jurisdiction',
    areaCodes: 'Area codes (comma separated)', password: 'Password', disabled: 'Disabled', newUser: 'New user',
  },
  audit: { at: 'Time', user: 'User', action: 'Action', target: 'Target', ip: 'IP' },
}
