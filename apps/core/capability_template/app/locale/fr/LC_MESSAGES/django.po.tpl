# {{ title }}: the app's own catalogue (Django reads every installed app's locale/).
msgid ""
msgstr ""
"Content-Type: text/plain; charset=UTF-8\n"
"Language: fr\n"

msgid "{{ title }}"
msgstr "{{ title_fr }}"

msgid "Nothing has been published here yet."
msgstr "Rien n'a encore été publié ici."
