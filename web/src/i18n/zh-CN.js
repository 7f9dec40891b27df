// Simplified Chinese, the default language.
export default {
  app: { name: '防控', title: '网格化社区防控系统' },
  common: {
    search: '搜索', reset: '重置', save: '保存', cancel: '取消', create: '新建', edit: '编辑',
    delete: '删除', confirm: '确定', back: '返回', more: '加载更多', loading: '加载中…', none: '暂无数据',
    actions: '操作', saved: '已保存', deleted: '已删除', yes: '是', no: '否', download: '下载',
    language: '语言', logout: '退出登录', total: '共 {n} 条', required: '必填',
  },
  role: {
    admin: '系统管理员', commander: '指挥部', community: '社区工作人员', grid: '网格员',
    building: '楼长', registrar: '信息登记员', lab: '检测机构', volunteer: '志愿者', resident: '居民',
  },
  nav: { home: '首页', areas: '区域网格', people: '居民', import: '居民导入', users: '用户与角色', audit: '审计日志', me: '我的' },
  login: {
    title: '登录', username: '用户名', password: '密码', submit: '登录',
    bad: '用户名或密码错误', locked: '账户已锁定：{msg}', throttled: '尝试过于频繁，请稍后再试',
  },
  home: { welcome: '欢迎，{name}', scope: '管辖范围', role: '角色' },
  area: {
    tree: '区域树', kind: '类型', name: '名称', code: '编码', path: '路径', responsible: '负责人',
    title: '职务', phone: '电话', addChild: '新建下级', rename: '修改', move: '移动', newParent: '新上级编码',
    residents: '居民数', children: '下级数', confirmDelete: '确定删除该区域？', notEmpty: '区域不为空，不能删除',
    kinds: {
      district: '区', street: '街道', community: '社区', village: '村', grid: '网格', building: '楼座',
      unit: '单元', household: '户', compound: '小区', park: '园区', other: '其他',
    },
  },
  people: {
    title: '居民', name: '姓名', idType: '证件类型', idNumber: '证件号码', phone: '手机号', sex: '性别',
    birth: '出生日期', age: '年龄', area: '所在区域', household: '房号', residence: '居住类型', tags: '标签',
    note: '备注', query: '姓名 / 身份证号 / 手机号', tagFilter: '按标签', masked: '已脱敏',
    auditNote: '查看居民信息会被记录（谁、何时、何地）。', detail: '居民详情', M: '男', F: '女',
    residences: { registered: '户籍', permanent: '常住', temporary: '暂住', visitor: '外来' },
    tagNames: {
      elderly_alone: '独居老人', bedridden: '卧床', disabled: '残疾', pregnant: '孕妇', child: '儿童',
      key_person: '重点人员', home_sampling: '上门采样',
    },
    idTypes: { resident: '居民身份证', passport: '护照', hkmo: '港澳通行证', tw: '台湾通行证', other: '其他' },
  },
  import: {
    title: '居民导入', pick: '选择 CSV 或 XLSX 文件', encoding: '文件编码', auto: '自动识别',
    area: '默认区域编码', run: '开始导入', result: '导入结果', total: '总行数', created: '新增', updated: '更新',
    unchanged: '未变化', failed: '失败', line: '行', column: '列', field: '字段', reason: '原因',
    downloadErrors: '下载错误报告', hint: '表头可用中文或英文：姓名/name、身份证号/id_number、手机号/phone、楼栋/building……',
  },
  users: {
    title: '用户与角色', username: '用户名', displayName: '姓名', role: '角色', scopes: '管辖区域',
    areaCodes: '区域编码（逗号分隔）', password: '密码', disabled: '停用', newUser: '新建用户',
  },
  audit: { at: '时间', user: '用户', action: '操作', target: '对象', ip: 'IP' },
}
