// Command service_info is the winsvc.windows.service_info Ansible module, a binary module:
// Ansible runs it with the path of its JSON arguments file (see
// ansible/collection/README.md and plugins/modules/service_info.yml of the collection).
package main

import "github.com/winsvc/winsvc/ansible/internal/module"

func main() { module.Main(module.Info) }
