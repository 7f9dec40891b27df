/* platform: the platform's own descriptor (tables and threads every module shares). */
#ifndef FK_PLATFORM_PLATFORM_H
#define FK_PLATFORM_PLATFORM_H

struct fk_module;
extern const struct fk_module fk_module_platform;

#endif
