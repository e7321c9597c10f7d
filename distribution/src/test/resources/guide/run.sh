rsock server -t 127.0.0.1:9999 --type xor -p 10001-10004 --hash-file secret --opt xor.key=77
rsock client -t SERVER_IP -l 127.0.0.1:30000 --type xor -p 10001-10004 --hash-file secret --opt xor.key=77
