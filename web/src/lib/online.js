// online: whether the browser has a network, as a ref a phone page shows (its queue bar) and
// reads before sending; listens while the calling component is mounted.
import { onBeforeUnmount, onMounted, ref } from 'vue'

export function useOnline() {
  const online = ref(navigator.onLine)
  const up = () => (online.value = true)
  const down = () => (online.value = false)
  onMounted(() => {
    window.addEventListener('online', up)
    window.addEventListener('offline', down)
  })
  onBeforeUnmount(() => {
    window.removeEventListener('online', up)
    window.removeEventListener('offline', down)
  })
  return online
}
