// Entry: Vue app with the router and i18n. Element Plus (desktop screens) and Vant (phone
// screens) are imported per screen (vite.config.js); only the styles of what a script calls
// rather than a template names (messages, confirm boxes, toasts) are loaded here.
import { createApp } from 'vue'
import 'element-plus/es/components/message/style/css'
import 'element-plus/es/components/message-box/style/css'
import 'vant/es/toast/style'
import App from './App.vue'
import { router } from './router.js'
import { i18n } from './i18n/index.js'

createApp(App).use(i18n).use(router).mount('#app')
