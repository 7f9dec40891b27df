// The desktop menu's icons, by the name each menu entry gives (router.js `icon`): only these
// are bundled, not the whole icon set.
import {
  Aim, Avatar, Bell, Box, Calendar, ChatDotRound, ChatLineSquare, Clock, DataAnalysis, Document,
  FirstAidKit, Flag, Goods, Guide, Histogram, HomeFilled, House, List, Location, Lock,
  MapLocation, Menu, Message, Odometer, OfficeBuilding, Operation, Phone, PieChart, Place,
  Present, Promotion, Setting, Stopwatch, Tickets, Upload, User, UserFilled, Van, Warning,
  Camera, DataBoard, Monitor, TrendCharts, Download, Printer, Notebook,
} from '@element-plus/icons-vue'

export const menuIcons = {
  Aim, Avatar, Bell, Box, Calendar, Camera, ChatDotRound, ChatLineSquare, Clock, DataAnalysis,
  Document, FirstAidKit, Flag, Goods, Guide, Histogram, HomeFilled, House, List, Location, Lock,
  MapLocation, Message, Odometer, OfficeBuilding, Operation, Phone, PieChart, Place, Present,
  Promotion, Setting, Stopwatch, Tickets, Upload, User, UserFilled, Van, Warning,
  DataBoard, Monitor, TrendCharts, Download, Printer, Notebook,
}

/* The icon component of a menu entry; a name not listed here shows the generic one. */
export const menuIcon = (name) => menuIcons[name] || Menu
